import Foundation
import Logging

extension AuditLog {
    /// An event waiting for its batch.
    struct Pending {
        let encoded: AuditLine.Encoded
        let durable: Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// The writer thread's state and loop. Everything mutable is guarded by `condition`
    /// (queue, head, failure); the file and the sealed-but-unwritten bytes belong to the
    /// writer thread alone.
    final class Writer: @unchecked Sendable {
        private let configuration: AuditLogConfiguration
        private let file: AuditLogFile
        private let files: AuditLogFiles
        private let keys: AuditKeys
        private let logger: Logger
        private let condition = NSCondition()

        // Guarded by `condition`.
        private var queue: [Pending] = []
        private var stopping = false
        private var finished = false
        private var finishWaiters: [CheckedContinuation<Void, Never>] = []
        private var currentFailure: AuditError?
        private var written: AuditChainHead

        // Writer thread only.
        private var sealed: AuditChainHead
        private var unwritten: [UInt8] = []
        private var lastCheckpoint: AuditChainHead?
        private var nextCheckpoint = Date()

        init(configuration: AuditLogConfiguration, file: AuditLogFile, files: AuditLogFiles, head: AuditChainHead, keys: AuditKeys, logger: Logger) {
            self.configuration = configuration
            self.file = file
            self.files = files
            self.keys = keys
            self.logger = logger
            written = head
            sealed = head
        }

        var failure: AuditError? { guarded { currentFailure } }
        var writtenHead: AuditChainHead { guarded { written } }

        func enqueue(_ pending: Pending) {
            let refusal: AuditError? = guarded {
                if let currentFailure { return currentFailure }
                if finished { return AuditError("the audit log is closed") }
                queue.append(pending)
                condition.signal()
                return nil
            }
            if let refusal { pending.continuation.resume(throwing: refusal) }
        }

        func stop() {
            guarded {
                stopping = true
                condition.signal()
            }
        }

        /// Returns once the loop has written what was queued and ended.
        func stopped() async {
            await withCheckedContinuation { continuation in
                let done: Bool = guarded {
                    if finished { return true }
                    finishWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }

        /// The writer thread: batches until stopped, then the final checkpoint.
        func loop(onWritten: ([UInt8]) -> Void) {
            while let batch = nextBatch() {
                if guarded({ currentFailure }) != nil {
                    Thread.sleep(forTimeInterval: Self.seconds(configuration.retryInterval))
                    retry(onWritten: onWritten)
                    continue
                }
                if !batch.isEmpty { write(batch, onWritten: onWritten) }
                checkpointIfDue(force: false)
            }
            if !unwritten.isEmpty {
                logger.error("audit events could not be written before shutdown", metadata: ["bytes": "\(unwritten.count)"])
            }
            checkpointIfDue(force: true)
            file.close()
            let waiters: [CheckedContinuation<Void, Never>] = guarded {
                finished = true
                let refused = queue
                queue = []
                for pending in refused { pending.continuation.resume(throwing: AuditError("the audit log is closed")) }
                defer { finishWaiters = [] }
                return finishWaiters
            }
            for waiter in waiters { waiter.resume() }
        }

        /// Everything queued, waiting up to the next checkpoint time; empty on a timeout or
        /// while failing (the caller retries); nil once stopping with nothing left to write.
        private func nextBatch() -> [Pending]? {
            guarded {
                while queue.isEmpty && !stopping && currentFailure == nil {
                    if !condition.wait(until: nextCheckpoint) { return [] }
                }
                if currentFailure != nil { return stopping ? nil : [] }
                if queue.isEmpty && stopping { return nil }
                defer { queue = [] }
                return queue
            }
        }

        private func write(_ batch: [Pending], onWritten: ([UInt8]) -> Void) {
            var out = unwritten
            for pending in batch {
                let mac = AuditLine.seal(pending.encoded, sequence: sealed.sequence + 1, previous: sealed.chain, key: keys.chain, into: &out)
                sealed = AuditChainHead(sequence: sealed.sequence + 1, chain: mac)
            }
            do {
                try persist(out, durable: batch.contains(where: \.durable))
                guarded { written = sealed }
                for pending in batch { pending.continuation.resume() }
                onWritten(out)
            } catch {
                unwritten = out
                guarded { currentFailure = error }
                logger.error("audit log write failed; refusing requests until it works again", metadata: ["error": "\(error)"])
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }

        /// Writes what a failed batch left, the lines in their chain order; on success the
        /// log serves again.
        private func retry(onWritten: ([UInt8]) -> Void) {
            do {
                try persist(unwritten, durable: true)
                onWritten(unwritten)
                unwritten = []
                guarded {
                    written = sealed
                    currentFailure = nil
                }
                logger.notice("audit log writable again")
            } catch {
                guarded { currentFailure = error }
            }
        }

        private func persist(_ bytes: [UInt8], durable: Bool) throws(AuditError) {
            guard !bytes.isEmpty else { return }
            try file.ensureOpen()
            if configuration.maxSize > 0 && file.size > 0 && file.size + bytes.count > configuration.maxSize {
                try rotate()
            }
            try file.append(bytes, durable: durable)
        }

        /// Moves the current file aside under its backup name and starts a new one; the chain
        /// simply continues into it.
        private func rotate() throws(AuditError) {
            let backup = files.backupPath(at: Date())
            file.close()
            guard rename(configuration.path, backup) == 0 else {
                throw AuditError("cannot rotate \(configuration.path): \(AuditLogFile.reason(errno))")
            }
            try file.ensureOpen()
            files.prune(maxBackups: configuration.maxBackups, maxAgeDays: configuration.maxAgeDays)
        }

        private func checkpointIfDue(force: Bool) {
            let now = Date()
            guard force || now >= nextCheckpoint else { return }
            nextCheckpoint = now.addingTimeInterval(Self.seconds(configuration.checkpointInterval))
            let head = guarded { written }
            guard head != lastCheckpoint else { return }
            do {
                try AuditCheckpoint.sign(sequence: head.sequence, chain: head.chain, key: keys.signing).write(to: configuration.checkpointPath)
                lastCheckpoint = head
            } catch {
                logger.warning("cannot write the audit checkpoint", metadata: ["error": "\(error)"])
            }
        }

        private func guarded<T>(_ body: () throws -> T) rethrows -> T {
            condition.lock()
            defer { condition.unlock() }
            return try body()
        }

        static func seconds(_ duration: Duration) -> TimeInterval {
            TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
        }
    }
}
