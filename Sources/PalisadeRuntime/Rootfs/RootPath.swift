import Foundation
import Glibc

/// Paths inside a container's root, resolved as the container will see them: symbolic
/// links are followed with the root as `/` (an absolute target, or `..` at the top, stays
/// inside), so nothing an image contains can make a write land outside its root.
public enum RootPath {
    /// The components of a path in a layer (`./a/b`, `/a/b` and `a/b` alike); `..` is refused.
    static func components(of name: String) throws(ImageError) -> [String] {
        let parts = name.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
        if parts.contains("..") { throw ImageError("\(name): a path with .. is refused") }
        return parts
    }

    /// The host path where the container will find `path`: safe to read as root on the
    /// host, whatever links the image holds.
    public static func hostPath(_ path: String, in root: String) throws(ImageError) -> String {
        try resolve(components(of: path), in: root)
    }

    /// The host path of `components` under `root`, every existing symbolic link along it
    /// resolved within the root.
    static func resolve(_ components: [String], in root: String) throws(ImageError) -> String {
        var resolved: [String] = []
        var pending = Array(components.reversed())
        var hops = 0
        while let component = pending.popLast() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = ([root] + resolved + [component]).joined(separator: "/")
            var status = stat()
            guard lstat(candidate, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK else {
                resolved.append(component)
                continue
            }
            hops += 1
            guard hops <= 255 else { throw ImageError("\(components.joined(separator: "/")): too many symbolic links") }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(candidate, &buffer, buffer.count - 1)
            guard length >= 0 else { throw ImageError("cannot read link \(candidate)") }
            let target = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("/") { resolved = [] }
            pending += target.split(separator: "/").map(String.init).reversed()
        }
        return ([root] + resolved).joined(separator: "/")
    }
}
