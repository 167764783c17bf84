import Synchronization

/// How often a container was denied each system call, and which denials are worth a log
/// line: the first ten of a call, then every thousandth.
final class DenialCounts: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts a denial of `syscall`; its count when it should be logged, else nil.
    func record(_ syscall: String) -> Int? {
        let count = counts.withLock { counts in
            counts[syscall, default: 0] += 1
            return counts[syscall]!
        }
        return count <= 10 || count % 1000 == 0 ? count : nil
    }
}
