import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The hash-chained audit log and its writer.
///
/// Requests hand in events (serialized on their own task) and wait; one writer thread takes
/// everything queued, seals the lines into the chain, writes them with one `write`, and, when
/// any of them must be durable, one `fdatasync` for the whole batch (group commit) before it
/// answers the waiting requests. File I/O never runs on the concurrency pool.
///
/// When a write fails (disk full, permissions, the file gone and its directory read-only),
/// the lines stay queued in order, every waiting and every new request is refused (the
/// gateway answers 503), and the writer tries again every `retryInterval`: it recovers by
/// itself, and the events of requests that were in flight are written first.
public final class AuditLog: Service, Sendable {
    public let configuration: AuditLogConfiguration
    let keys: AuditKeys
    private let logger: Logger
    private let writer: Writer
    private let followers = Mutex<[UUID: AsyncStream<[UInt8]>.Continuation]>([:])

    public init(configuration: AuditLogConfiguration, keys: AuditKeys, logger: Logger) throws(AuditError) {
        self.configuration = configuration
        self.keys = keys
        self.logger = logger
        let files = AuditLogFiles(path: configuration.path)
        let file = AuditLogFile(path: configuration.path)
        try file.ensureOpen()
        try file.terminateTornLine()
        var head = AuditChainHead.recover(files)
        if head == nil {
            logger.warning("the newest audit line carries no chain; a new chain starts", metadata: ["file": "\(configuration.path)"])
            head = .empty
        }
        writer = Writer(configuration: configuration, file: file, files: files, head: head!, keys: keys, logger: logger)
    }

    /// Writes `event` and returns once it is in the file (and on disk when `durable`).
    /// Throws at once while the log is failing.
    public func record(_ event: AuditEvent, durable: Bool) async throws(AuditError) {
        let encoded = AuditLine.encode(event)
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                writer.enqueue(.init(encoded: encoded, durable: durable, continuation: continuation))
            }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError("the audit log is not available")
        }
    }

    /// Why the log cannot be written right now; nil while it works.
    public var failure: AuditError? { writer.failure }

    /// The chain head of what has been written.
    public var head: AuditChainHead { writer.writtenHead }

    /// A freshly signed checkpoint of the current head.
    public func checkpoint() throws(AuditError) -> AuditCheckpoint {
        let head = head
        return try AuditCheckpoint.sign(sequence: head.sequence, chain: head.chain, key: keys.signing)
    }

    /// Lines as they are written (each chunk one or more whole lines); a follower that falls
    /// far behind loses the oldest chunks rather than holding the writer up.
    public func follow() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(4096))
        let id = UUID()
        followers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.followers.withLock { $0.removeValue(forKey: id) } }
        return stream
    }

    public func run() async throws {
        let thread = Thread { [self] in
            writer.loop { written in
                for follower in followers.withLock({ Array($0.values) }) { follower.yield(written) }
            }
        }
        thread.name = "audit-writer"
        thread.start()
        await withGracefulShutdownHandler {
            await writer.stopped()
        } onGracefulShutdown: {
            self.writer.stop()
        }
        followers.withLock { followers in
            for follower in followers.values { follower.finish() }
        }
    }
}
