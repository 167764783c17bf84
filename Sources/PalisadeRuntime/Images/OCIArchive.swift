import Foundation

/// An OCI image layout packed in a tar file (`oci-archive`, or `tar -C layout -cf …`),
/// unpacked into a directory: only the layout's own files (`oci-layout`, `index.json`,
/// `blobs/sha256/…`), regular files only, no path leaving the directory.
enum OCIArchive {
    static func unpack(_ archive: String, into directory: String) throws(ImageError) {
        guard let handle = FileHandle(forReadingAtPath: archive) else { throw ImageError("\(archive): cannot be read") }
        defer { try? handle.close() }
        do {
            while let header = try handle.read(upToCount: 512), header.count == 512, header.contains(where: { $0 != 0 }) {
                let bytes = [UInt8](header)
                let size = Int(field(bytes, 124, 12).trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\0"))), radix: 8) ?? -1
                guard size >= 0 else { throw ImageError("\(archive): not a tar file") }
                let prefix = field(bytes, 345, 155)
                let name = (prefix.isEmpty ? "" : prefix + "/") + field(bytes, 0, 100)
                let type = bytes[156]
                let content = try handle.read(upToCount: size) ?? Data()
                let padding = (512 - size % 512) % 512
                if padding > 0 { _ = try handle.read(upToCount: padding) }
                let path = name.hasPrefix("./") ? String(name.dropFirst(2)) : name
                guard type == UInt8(ascii: "0") || type == 0, isLayoutFile(path) else { continue }
                let target = "\(directory)/\(path)"
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: target, contents: content) else { throw ImageError("\(archive): cannot unpack \(path)") }
            }
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError("\(archive): \(error)")
        }
    }

    /// The files of an OCI layout, and nothing that could land elsewhere.
    static func isLayoutFile(_ path: String) -> Bool {
        if path == "oci-layout" || path == "index.json" { return true }
        let parts = path.split(separator: "/")
        return parts.count == 3 && parts[0] == "blobs" && parts[1] == "sha256" && ContentDigest("sha256:\(parts[2])") != nil
    }

    private static func field(_ bytes: [UInt8], _ offset: Int, _ length: Int) -> String {
        let slice = bytes[offset..<(offset + length)]
        return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
    }
}
