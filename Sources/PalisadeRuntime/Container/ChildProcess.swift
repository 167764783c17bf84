import Foundation
import Glibc

/// A child process of the agent, waited for without holding up a Swift concurrency thread:
/// `waitpid` blocks on a thread of its own.
public struct ChildProcess: Sendable {
    public let pid: pid_t

    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)

        /// The container exit code as Kubernetes reports it (128 + signal when killed).
        public var code: Int32 {
            switch self {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        }
    }

    public init(pid: pid_t) {
        self.pid = pid
    }

    /// Waits for the process to end and reaps it.
    public func exit() async -> Exit {
        let pid = pid
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Self.waitBlocking(pid)) }
            thread.stackSize = 64 * 1024
            thread.start()
        }
    }

    /// Waits for the process to end on the calling thread (for tools, not async code).
    public func waitSynchronously() -> Exit { Self.waitBlocking(pid) }

    static func waitBlocking(_ pid: pid_t) -> Exit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        // WIFEXITED / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}
