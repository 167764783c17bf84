import PalisadeStore
import Synchronization

/// The storage transformer: a ``Store`` that seals values of the configured resources on the
/// way in and opens them on the way out, so nothing above it sees ciphertext and nothing
/// below it sees plaintext. The configuration can be replaced while it serves (key rotation).
public final class EncryptingStore: Store {
    /// The store the sealed values live in.
    public let base: any Store
    private let state: Mutex<State>

    private struct State {
        var policy: EncryptionPolicy
        var generation = 0
        /// Writes whose value was sealed under a generation and that have not returned yet.
        var writesInFlight: [Int: Int] = [:]
    }

    public init(base: any Store, configuration: EncryptionConfiguration) {
        self.base = base
        state = Mutex(State(policy: EncryptionPolicy(configuration)))
    }

    public var configuration: EncryptionConfiguration { policy.configuration }

    var policy: EncryptionPolicy { state.withLock { $0.policy } }

    /// Makes `configuration` govern every write from now on, and returns once every write
    /// sealed under an earlier configuration has reached the store, so a scan that starts
    /// afterwards sees all values the old configuration produced.
    public func reconfigure(_ configuration: EncryptionConfiguration) async {
        let generation = state.withLock { state in
            state.policy = EncryptionPolicy(configuration)
            state.generation += 1
            return state.generation
        }
        while state.withLock({ $0.writesInFlight.keys.contains { $0 < generation } }) {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    private func sealing<T>(
        _ key: String, _ value: [UInt8], _ write: ([UInt8]) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let (policy, generation) = state.withLock { state in
            state.writesInFlight[state.generation, default: 0] += 1
            return (state.policy, state.generation)
        }
        defer {
            state.withLock { state in
                let remaining = state.writesInFlight[generation, default: 1] - 1
                state.writesInFlight[generation] = remaining == 0 ? nil : remaining
            }
        }
        return try await write(try policy.seal(value, storageKey: key))
    }

    private func opened(_ stored: KeyValue, with policy: EncryptionPolicy) throws(StoreError) -> KeyValue {
        var plain = stored
        plain.value = try policy.open(stored.value, storageKey: stored.key)
        return plain
    }

    // MARK: Store

    public func currentRevision() async throws(StoreError) -> Int64 { try await base.currentRevision() }

    public func compactedRevision() async throws(StoreError) -> Int64 { try await base.compactedRevision() }

    public func get(_ key: String) async throws(StoreError) -> KeyValue? {
        guard let stored = try await base.get(key) else { return nil }
        return try opened(stored, with: policy)
    }

    public func range(prefix: String, startAfter: String?, limit: Int?, revision: Int64?) async throws(StoreError) -> RangeResult {
        var result = try await base.range(prefix: prefix, startAfter: startAfter, limit: limit, revision: revision)
        let policy = self.policy
        for index in result.items.indices { result.items[index] = try opened(result.items[index], with: policy) }
        return result
    }

    public func count(prefix: String) async throws(StoreError) -> Int { try await base.count(prefix: prefix) }

    public func create(_ key: String, value: [UInt8]) async throws(StoreError) -> KeyValue {
        var created = try await sealing(key, value) { sealed throws(StoreError) in try await base.create(key, value: sealed) }
        created.value = value
        return created
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws(StoreError) -> KeyValue {
        var updated = try await sealing(key, value) { sealed throws(StoreError) in
            try await base.update(key, value: sealed, expectedRevision: expectedRevision)
        }
        updated.value = value
        return updated
    }

    /// The deleted version comes back opened; if it no longer opens, the deletion still
    /// stands and the error says why its last value cannot be shown.
    public func delete(_ key: String, expectedRevision: Int64?) async throws(StoreError) -> KeyValue {
        try opened(try await base.delete(key, expectedRevision: expectedRevision), with: policy)
    }

    public func watch(prefix: String, afterRevision: Int64) async throws(StoreError) -> AsyncThrowingStream<StoreEvent, any Error> {
        let events = try await base.watch(prefix: prefix, afterRevision: afterRevision)
        guard policy.mayTransform(prefix: prefix) else { return events }
        let (opened, sink) = AsyncThrowingStream.makeStream(of: StoreEvent.self)
        let pump = Task {
            do {
                for try await event in events {
                    sink.yield(StoreEvent(kind: event.kind, current: try self.opened(event.current, with: self.policy)))
                }
                sink.finish()
            } catch {
                sink.finish(throwing: error)
            }
        }
        sink.onTermination = { _ in pump.cancel() }
        return opened
    }

    public func compact(through revision: Int64) async throws(StoreError) { try await base.compact(through: revision) }
}
