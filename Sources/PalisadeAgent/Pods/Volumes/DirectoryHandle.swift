import Foundation
import Glibc

/// An open directory through which the agent creates and writes files without ever
/// following a symbolic link: every step is an `…at` call with `O_NOFOLLOW`, so a link
/// planted inside a volume cannot redirect a write elsewhere on the host.
final class DirectoryHandle {
    let descriptor: Int32
    /// For error messages.
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Opens the directory at `path`; its last component must not be a link.
    static func open(_ path: String) throws(PodConfigError) -> DirectoryHandle {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("opening \(path)") }
        return DirectoryHandle(descriptor: descriptor, path: path)
    }

    deinit { close(descriptor) }

    /// Opens the child directory `name` (one component, not a link).
    func child(_ name: String) throws(PodConfigError) -> DirectoryHandle {
        let descriptor = openat(self.descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure("opening \(path)/\(name)") }
        return DirectoryHandle(descriptor: descriptor, path: "\(path)/\(name)")
    }

    /// Opens the child directory `name`, creating it with `mode` when missing.
    func makeChild(_ name: String, mode: mode_t) throws(PodConfigError) -> DirectoryHandle {
        if mkdirat(descriptor, name, mode) == 0 {
            // mkdir is subject to the umask; the mode asked for is the mode wanted.
            fchmodat(descriptor, name, mode, 0)
        } else if errno != EEXIST {
            throw Self.failure("creating \(path)/\(name)")
        }
        return try child(name)
    }

    /// Writes a new file `name` (which must not exist) with exactly `mode`.
    func writeNewFile(_ name: String, contents: [UInt8], mode: mode_t) throws(PodConfigError) {
        let file = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw Self.failure("creating \(path)/\(name)") }
        defer { close(file) }
        var written = 0
        while written < contents.count {
            let count = contents.withUnsafeBytes { write(file, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Self.failure("writing \(path)/\(name)") }
            written += count
        }
        guard fchmod(file, mode) == 0 else { throw Self.failure("setting the mode of \(path)/\(name)") }
    }

    /// Facts about `name` without following it; nil when absent. The path goes through this
    /// process's handle on the directory, so it names this directory whatever was renamed.
    func facts(of name: String) -> FileFacts? {
        FileFacts.of("/proc/self/fd/\(descriptor)/\(name)")
    }

    /// The target of the link `name`, or nil when it is not a link.
    func linkTarget(_ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(descriptor, name, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func makeLink(_ name: String, to target: String) throws(PodConfigError) {
        guard symlinkat(target, descriptor, name) == 0 else { throw Self.failure("linking \(path)/\(name)") }
    }

    /// Renames `from` over `to` in one step: readers see the old or the new entry, never neither.
    func rename(_ from: String, over to: String) throws(PodConfigError) {
        guard renameat(descriptor, from, descriptor, to) == 0 else { throw Self.failure("renaming \(path)/\(from)") }
    }

    /// Removes `name` and, for a directory, all it holds; links are removed, never followed,
    /// and nothing on another file system (a mount) is entered.
    func remove(_ name: String) throws(PodConfigError) {
        guard let facts = facts(of: name) else { return }
        if facts.type == .typeDirectory {
            let directory = try child(name)
            guard facts.device == self.facts(of: ".")?.device else {
                throw PodConfigError(.fileSystem, "\(path)/\(name) is still a mount point")
            }
            for entry in try directory.entries() { try directory.remove(entry) }
            guard unlinkat(descriptor, name, AT_REMOVEDIR) == 0 else { throw Self.failure("removing \(path)/\(name)") }
        } else {
            guard unlinkat(descriptor, name, 0) == 0 || errno == ENOENT else { throw Self.failure("removing \(path)/\(name)") }
        }
    }

    /// The names in the directory, without `.` and `..`.
    func entries() throws(PodConfigError) -> [String] {
        let copy = dup(descriptor)
        guard copy >= 0, let stream = fdopendir(copy) else { throw Self.failure("listing \(path)") }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func failure(_ action: String) -> PodConfigError {
        PodConfigError(.fileSystem, "\(action): \(String(cString: strerror(errno)))")
    }
}
