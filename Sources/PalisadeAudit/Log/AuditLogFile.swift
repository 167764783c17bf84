import CoreFoundation  // where release builds find the fields of `stat`
import Foundation

/// The log file as the writer holds it: opened for appending with mode 0600, written with
/// whole-batch writes, flushed with `fdatasync`, and checked before each batch to still be
/// the file at its path (a log deleted or moved away is noticed and recreated, not written
/// into the void).
final class AuditLogFile {
    let path: String
    private var descriptor: Int32 = -1
    private var inode: ino_t = 0
    private(set) var size: Int = 0

    init(path: String) {
        self.path = path
    }

    deinit { close() }

    /// Opens the file at the path unless the one already open is still there.
    func ensureOpen() throws(AuditError) {
        var info = stat()
        if descriptor >= 0, stat(path, &info) == 0, info.st_ino == inode { return }
        close()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AuditError("cannot open \(path): \(Self.reason(errno))") }
        guard fstat(fd, &info) == 0 else {
            Glibc.close(fd)
            throw AuditError("cannot stat \(path): \(Self.reason(errno))")
        }
        descriptor = fd
        inode = info.st_ino
        size = Int(info.st_size)
    }

    /// Appends `bytes` and, when `durable`, waits for them to reach the disk. A failed write
    /// is cut back off the file, so a retry never leaves half a batch before the whole one.
    func append(_ bytes: [UInt8], durable: Bool) throws(AuditError) {
        try ensureOpen()
        let before = size
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let error = errno
                _ = ftruncate(descriptor, off_t(before))
                throw AuditError("cannot write \(path): \(Self.reason(error))")
            }
            written += result
        }
        if durable && fdatasync(descriptor) != 0 {
            throw AuditError("cannot flush \(path): \(Self.reason(errno))")
        }
        size = before + bytes.count
    }

    /// Makes a file that ends in the middle of a line (a crash during a write) end with a
    /// newline, so the torn fragment stays a line of its own and the next line is whole.
    func terminateTornLine() throws(AuditError) {
        try ensureOpen()
        guard size > 0, let last = Self.tail(of: path, bytes: 1).last, last != UInt8(ascii: "\n") else { return }
        try append(Array("\n".utf8), durable: true)
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// The last `bytes` bytes of a file (fewer when it is shorter).
    static func tail(of path: String, bytes: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd() else { return [] }
        try? handle.seek(toOffset: end > UInt64(bytes) ? end - UInt64(bytes) : 0)
        return Array((try? handle.readToEnd()) ?? Data())
    }

    static func size(of path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
