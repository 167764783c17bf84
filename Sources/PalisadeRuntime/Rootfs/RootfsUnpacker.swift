import Foundation
import Glibc
import PalisadeAPI

/// Builds a container's root filesystem from an image's layers, lowest first, as the OCI
/// image spec says: each entry is written where its path resolves inside the root
/// (symbolic links are followed within the root, never out of it, as runc's securejoin
/// does), whiteouts (`.wh.<name>`, and `.wh..wh..opq` for a whole directory) remove what
/// lower layers put there, modes and (as root) owners are kept, and device nodes are
/// skipped (the runtime provides `/dev`). A name with `..` is an error: the layer is
/// refused, not half-applied around it.
public struct RootfsUnpacker: Sendable {
    let store: ImageStore

    public init(store: ImageStore) {
        self.store = store
    }

    public func unpack(_ image: ImageStore.Image, into root: String) throws(ImageError) {
        let manifest = try store.json(at: store.blobPath(image.manifest))
        try makeDirectory(root, mode: 0o755)
        for (index, layer) in (manifest["layers"]?.arrayValue ?? []).enumerated() {
            let mediaType = layer["mediaType"]?.stringValue ?? ""
            guard mediaType.hasSuffix("tar") || mediaType.hasSuffix("tar.gzip") || mediaType.hasSuffix("tar+gzip") else {
                throw ImageError("layer \(index) is \(mediaType); Palisade unpacks tar and gzip layers")
            }
            guard let digest = layer["digest"]?.stringValue.flatMap(ContentDigest.init) else { throw ImageError("layer \(index) has no digest") }
            let reader = try LayerReader(path: store.blobPath(digest), gzip: mediaType.hasSuffix("gzip"))
            do {
                try apply(TarEntries(reader), into: root)
            } catch {
                throw ImageError("layer \(index) (\(digest)): \(error)")
            }
        }
    }

    private func apply(_ entries: TarEntries, into root: String) throws(ImageError) {
        var written = Set<String>()
        while let entry = try entries.next() {
            let components = try RootPath.components(of: entry.name)
            guard let last = components.last else { try entries.skipContent(); continue }
            let parent = try RootPath.resolve(Array(components.dropLast()), in: root)
            if last == ".wh..wh..opq" {
                // An opaque directory: what lower layers had in it goes, this layer's stays.
                for child in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where !written.contains("\(parent)/\(child)") {
                    try? FileManager.default.removeItem(atPath: "\(parent)/\(child)")
                }
                try entries.skipContent()
                continue
            }
            if last.hasPrefix(".wh.") {
                try? FileManager.default.removeItem(atPath: "\(parent)/\(last.dropFirst(4))")
                try entries.skipContent()
                continue
            }
            try makeDirectory(parent, mode: 0o755)
            let target = "\(parent)/\(last)"
            switch entry.type {
            case .directory:
                var status = stat()
                if lstat(target, &status) == 0 && (status.st_mode & S_IFMT) != S_IFDIR { try remove(target) }
                try makeDirectory(target, mode: entry.mode)
            case .file:
                try remove(target)
                try entries.copyContent(to: target)
            case .symlink:
                try remove(target)
                guard symlink(entry.linkName, target) == 0 else { throw ImageError("cannot link \(entry.name): \(errorText())") }
            case .hardlink:
                let source = try RootPath.resolve(try RootPath.components(of: entry.linkName), in: root)
                try remove(target)
                guard link(source, target) == 0 else { throw ImageError("cannot link \(entry.name) to \(entry.linkName): \(errorText())") }
            case .fifo:
                try remove(target)
                guard mkfifo(target, mode_t(entry.mode & 0o777)) == 0 else { throw ImageError("cannot make fifo \(entry.name)") }
            case .device, .other:
                try entries.skipContent()
                continue
            }
            // A hard link shares its target's inode: its own header must not change that.
            if entry.type != .hardlink {
                if entry.type != .symlink { chmod(target, mode_t(entry.mode & 0o7777)) }
                if getuid() == 0 { lchown(target, uid_t(entry.uid), gid_t(entry.gid)) }
            }
            written.insert(target)
            if entry.type != .file { try entries.skipContent() }
        }
    }

    private func remove(_ path: String) throws(ImageError) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw ImageError("cannot replace \(path): \(error)")
        }
    }

    private func makeDirectory(_ path: String, mode: Int) throws(ImageError) {
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            chmod(path, mode_t(mode & 0o7777))
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode & 0o7777])
        } catch {
            throw ImageError("cannot create \(path): \(error)")
        }
    }

    private func errorText() -> String { String(cString: strerror(errno)) }
}
