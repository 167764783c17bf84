import Foundation
import Glibc
import PalisadeAPI

/// The node's local OCI image store: blobs by digest under `blobs/sha256/`, and
/// `images.json` naming each imported image's manifest and blobs. Images come only from
/// `import` of an OCI layout (a directory or a tar of one), every blob verified against its
/// digest first; nothing is ever pulled from a network. Changes hold an exclusive lock on
/// the store and replace `images.json` atomically.
public struct ImageStore: Sendable {
    public struct Image: Sendable, Equatable {
        public let name: String
        public let manifest: ContentDigest
        public let blobs: [ContentDigest]
        public let size: Int64
        public let imported: String
    }

    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// Imports the images of an OCI layout (directory or tar file); `name` names the only one.
    @discardableResult
    public func importImages(from path: String, name: String? = nil) throws(ImageError) -> [Image] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ImageError("\(path): no such file or directory") }
        if isDirectory.boolValue { return try importLayout(OCILayout(directory: path), name: name) }
        let scratch = try makeDirectory("tmp/import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try OCIArchive.unpack(path, into: scratch)
        return try importLayout(OCILayout(directory: scratch), name: name)
    }

    private func importLayout(_ layout: OCILayout, name: String?) throws(ImageError) -> [Image] {
        let found = try layout.images(named: name)
        return try locked { () throws(ImageError) -> [Image] in
            _ = try makeDirectory("blobs/sha256")
            for image in found {
                for blob in image.blobs where !FileManager.default.fileExists(atPath: blobPath(blob)) {
                    try place("\(layout.directory)/\(layout.blobPath(blob))", at: blobPath(blob))
                }
            }
            let stamp = Timestamp.format(Date())
            let imported = found.map { Image(name: $0.name, manifest: $0.manifest, blobs: $0.blobs, size: $0.size, imported: stamp) }
            let names = Set(imported.map(\.name))
            try save(try load().filter { !names.contains($0.name) } + imported)
            return imported
        }
    }

    public func list() throws(ImageError) -> [Image] {
        try load().sorted { $0.name < $1.name }
    }

    /// Removes an image, then the blobs no image uses any more.
    public func remove(_ name: String) throws(ImageError) {
        let wanted = ImageReference.normalized(name)
        try locked { () throws(ImageError) in
            let images = try load()
            guard images.contains(where: { $0.name == wanted }) else { throw ImageError("image \"\(name)\" is not in the image store") }
            let kept = images.filter { $0.name != wanted }
            try save(kept)
            let used = Set(kept.flatMap(\.blobs).map(\.hex))
            let stored = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/blobs/sha256")) ?? []
            for blob in stored where !used.contains(blob) { try? FileManager.default.removeItem(atPath: "\(root)/blobs/sha256/\(blob)") }
        }
    }

    /// The imported image a pod's `image` names; the error says how to provide it.
    public func resolve(_ reference: String) throws(ImageError) -> Image {
        let wanted = ImageReference.normalized(reference)
        guard let image = try load().first(where: { $0.name == wanted }) else {
            throw ImageError("image \"\(reference)\" is not in this node's image store (Palisade never pulls); import it with: palisade image import FILE|DIR")
        }
        return image
    }

    func blobPath(_ digest: ContentDigest) -> String { "\(root)/blobs/sha256/\(digest.hex)" }

    /// A stored JSON blob (a manifest or config), checked when imported.
    func json(at path: String) throws(ImageError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path), let value = try? JSONParser.parse(Array(data)) else {
            throw ImageError("cannot read \(path)")
        }
        return value
    }

    // MARK: Files

    private var recordsPath: String { "\(root)/images.json" }

    private func load() throws(ImageError) -> [Image] {
        guard let data = FileManager.default.contents(atPath: recordsPath) else { return [] }
        let records: JSONValue
        do {
            records = try JSONParser.parse(Array(data))
        } catch {
            throw ImageError("\(recordsPath) is damaged: \(error)")
        }
        return (records.arrayValue ?? []).compactMap { record in
            guard let name = record["name"]?.stringValue, let manifest = record["manifest"]?.stringValue.flatMap(ContentDigest.init) else { return nil }
            return Image(
                name: name, manifest: manifest, blobs: (record["blobs"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(ContentDigest.init) },
                size: record["size"]?.intValue ?? 0, imported: record["imported"]?.stringValue ?? ""
            )
        }
    }

    private func save(_ images: [Image]) throws(ImageError) {
        let records: JSONValue = .array(images.map { image in
            [
                "name": .string(image.name), "manifest": .string(image.manifest.description), "blobs": .array(image.blobs.map { .string($0.description) }),
                "size": .int(image.size), "imported": .string(image.imported),
            ]
        })
        try write(Data(JSONSerializer.bytes(records)), to: recordsPath)
    }

    /// Copies a verified blob into the store under a temporary name, then renames it.
    private func place(_ source: String, at target: String) throws(ImageError) {
        let temporary = "\(target).tmp-\(UUID().uuidString)"
        do {
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
            guard rename(temporary, target) == 0 else { throw ImageError("cannot store blob \(target)") }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ImageError("cannot store blob \(target): \(error)")
        }
    }

    private func write(_ data: Data, to path: String) throws(ImageError) {
        let temporary = "\(path).tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: data), rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ImageError("cannot write \(path)")
        }
    }

    private func makeDirectory(_ relative: String) throws(ImageError) -> String {
        let path = "\(root)/\(relative)"
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ImageError("cannot create \(path)")
        }
        return path
    }

    /// Runs `body` holding the store's exclusive lock (`flock` on `root/.lock`).
    private func locked<T>(_ body: () throws(ImageError) -> T) throws(ImageError) -> T {
        _ = try makeDirectory("")
        let descriptor = open("\(root)/.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ImageError("cannot lock \(root)") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw ImageError("cannot lock \(root)") }
        return try body()
    }
}
