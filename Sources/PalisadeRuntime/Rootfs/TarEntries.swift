import Foundation

/// The entries of a tar stream (ustar, with GNU long names and PAX path records), read one
/// at a time; an entry's content is copied or skipped before the next is read.
final class TarEntries {
    enum Kind { case file, directory, symlink, hardlink, fifo, device, other }

    struct Entry {
        let name: String
        let type: Kind
        let linkName: String
        let mode: Int
        let uid: Int
        let gid: Int
        let size: Int
    }

    private let reader: LayerReader
    private var remaining = 0
    private var padding = 0

    init(_ reader: LayerReader) {
        self.reader = reader
    }

    func next() throws(ImageError) -> Entry? {
        try skipContent()
        var longName: String?
        var longLink: String?
        while true {
            let header = try reader.read(512)
            guard header.count == 512, header.contains(where: { $0 != 0 }) else { return nil }
            let size = Self.number(header[124..<136])
            let type = header[156]
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "K"):
                let value = Self.text(try body(size))
                if type == UInt8(ascii: "L") { longName = value } else { longLink = value }
                continue
            case UInt8(ascii: "x"):
                for (key, value) in Self.pax(try body(size)) {
                    if key == "path" { longName = value }
                    if key == "linkpath" { longLink = value }
                }
                continue
            case UInt8(ascii: "g"):
                _ = try body(size)
                continue
            default:
                break
            }
            let prefix = Self.text(header[345..<500])
            let shortName = Self.text(header[0..<100])
            let isUstar = header[257..<262].elementsEqual(Array("ustar".utf8))
            let name = longName ?? (isUstar && !prefix.isEmpty ? "\(prefix)/\(shortName)" : shortName)
            let kind: Kind = switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): .file
            case UInt8(ascii: "5"): .directory
            case UInt8(ascii: "2"): .symlink
            case UInt8(ascii: "1"): .hardlink
            case UInt8(ascii: "6"): .fifo
            case UInt8(ascii: "3"), UInt8(ascii: "4"): .device
            default: .other
            }
            remaining = size
            padding = (512 - size % 512) % 512
            return Entry(
                name: name, type: kind, linkName: longLink ?? Self.text(header[157..<257]), mode: Self.number(header[100..<108]),
                uid: Self.number(header[108..<116]), gid: Self.number(header[116..<124]), size: size
            )
        }
    }

    /// Writes the current entry's content to a new file at `path`.
    func copyContent(to path: String) throws(ImageError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let output = FileHandle(forWritingAtPath: path) else {
            throw ImageError("cannot create \(path)")
        }
        defer { try? output.close() }
        while remaining > 0 {
            let chunk = try reader.read(min(remaining, 1 << 20))
            if chunk.isEmpty { throw ImageError("layer ends inside \(path)") }
            do { try output.write(contentsOf: chunk) } catch { throw ImageError("cannot write \(path): \(error)") }
            remaining -= chunk.count
        }
        try skipContent()
    }

    /// Skips what is left of the current entry's content and its padding.
    func skipContent() throws(ImageError) {
        try reader.skip(remaining + padding)
        remaining = 0
        padding = 0
    }

    private func body(_ size: Int) throws(ImageError) -> ArraySlice<UInt8> {
        let content = try reader.read(size)
        try reader.skip((512 - size % 512) % 512)
        return content[...]
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field, or base-256 (high bit set) for values too large for octal.
    private static func number(_ bytes: ArraySlice<UInt8>) -> Int {
        if let first = bytes.first, first & 0x80 != 0 {
            return bytes.dropFirst().reduce(Int(first & 0x7f)) { $0 << 8 | Int($1) }
        }
        return Int(text(bytes).trimmingCharacters(in: .whitespaces), radix: 8) ?? 0
    }

    /// PAX records: `<length> <key>=<value>\n`.
    private static func pax(_ bytes: ArraySlice<UInt8>) -> [(String, String)] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { record in
            guard let space = record.firstIndex(of: " "), let equals = record.firstIndex(of: "=") else { return nil }
            return (String(record[record.index(after: space)..<equals]), String(record[record.index(after: equals)...]))
        }
    }
}
