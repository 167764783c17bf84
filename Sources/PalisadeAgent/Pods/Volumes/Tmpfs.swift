import Glibc

/// tmpfs mounts for secret volumes and memory-backed emptyDirs, and finding what is
/// mounted under a pod's directory when it is torn down.
enum Tmpfs {
    /// Mounts a fresh tmpfs on `path` unless one is there already (a volume prepared again).
    /// `nosuid,nodev`: nothing in a volume may gain privileges or reach devices.
    static func mount(at path: String, mode: mode_t, sizeBytes: Int64? = nil) throws(PodConfigError) {
        guard !isMountPoint(path) else { return }
        var options = "mode=\(String(mode, radix: 8))"
        if let sizeBytes, sizeBytes > 0 { options += ",size=\(sizeBytes)" }
        guard Glibc.mount("tmpfs", path, "tmpfs", UInt(MS_NOSUID | MS_NODEV), options) == 0 else {
            throw DirectoryHandle.failure("mounting a tmpfs on \(path)")
        }
    }

    /// Whether `path` is the root of a mount: its device differs from its parent's.
    static func isMountPoint(_ path: String) -> Bool {
        guard let own = FileFacts.of(path), let parent = FileFacts.of(path + "/..") else { return false }
        return own.device != parent.device || own.inode == parent.inode
    }

    /// Every mount point at or below `directory`, deepest first (the order to unmount them in).
    static func mountPoints(under directory: String, mountinfo: String) -> [String] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let points = mountinfo.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = unescape(String(fields[4]))
            return point == directory || point.hasPrefix(prefix) ? point : nil
        }
        return points.sorted { $0.count > $1.count }
    }

    /// The mount table of this process's mount namespace.
    static func currentMountinfo() -> String {
        guard let file = fopen("/proc/self/mountinfo", "r") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Detaches the mount at `path` (lazily, so a process still inside cannot block teardown).
    static func unmount(_ path: String) throws(PodConfigError) {
        guard umount2(path, Int32(MNT_DETACH)) == 0 || errno == EINVAL || errno == ENOENT else {
            throw DirectoryHandle.failure("unmounting \(path)")
        }
    }

    /// mountinfo writes space, tab, newline and backslash as `\040`-style octal escapes.
    private static func unescape(_ field: String) -> String {
        let bytes = Array(field.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                output.append(value)
                index += 4
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
