import Foundation

/// An exclusive lock on a data directory, held for as long as a server (or an offline tool)
/// works on it, so two processes never write the same store. The kernel releases it when
/// the process ends, however it ends.
public final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock, or returns nil when another process holds it.
    public static func acquire(directory: String) throws -> DataDirectoryLock? {
        let path = directory + "/palisade.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError(.backend, detail: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return DataDirectoryLock(descriptor: descriptor)
    }

    deinit { close(descriptor) }
}
