import Foundation
import Glibc

/// Blocking, deadline-bound I/O on a connected socket, for the HTTP prober. It runs on a
/// Dispatch thread (``run(_:)``) so a slow container never holds a Swift concurrency thread.
struct ProbeSocket {
    struct Failure: Error {
        let message: String
    }

    let descriptor: Int32
    let deadline: ContinuousClock.Instant

    /// Runs blocking work off the cooperative pool.
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            try wait(for: Int16(POLLOUT))
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { throw Failure(message: "writing the request: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Reads until the first line ends, and returns it without the line break.
    func readLine(limit: Int = 4096) throws(Failure) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            if let end = received.firstIndex(of: UInt8(ascii: "\n")) {
                let line = received[..<end]
                return String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            }
            guard received.count < limit else { throw Failure(message: "the status line is too long") }
            try wait(for: Int16(POLLIN))
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else {
                throw Failure(message: count == 0 ? "the connection closed before a response" : "reading: \(String(cString: strerror(errno)))")
            }
            received += buffer[..<count]
        }
    }

    private func wait(for events: Int16) throws(Failure) {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
            guard milliseconds > 0 else { throw Failure(message: "timed out") }
            var poller = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(clamping: milliseconds))
            if ready < 0, errno == EINTR { continue }
            guard ready >= 0 else { throw Failure(message: "poll: \(String(cString: strerror(errno)))") }
            if ready > 0 { return }
        }
    }
}
