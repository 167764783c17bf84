import Foundation
import PalisadeStore

/// Key rotation without downtime, against a store that is serving:
///
/// 1. a new key becomes the writer (in the file first, then in memory), and the rotation
///    waits until no write sealed with an old key is still on its way to the store;
/// 2. every stored object not under its new key is re-sealed, each guarded by its revision
///    (a conflict means a client wrote it meanwhile, under the new key already);
/// 3. history is compacted, so superseded versions under old keys leave the database;
/// 4. once a scan finds nothing under an old key, the old keys are removed.
///
/// A crash at any step leaves a configuration that reads every stored value: old keys
/// stay in the file until step 4.
public struct KeyRotation: Sendable {
    public struct Report: Sendable, Equatable {
        public var newKeys: [String]
        public var retiredKeys: [String]
        public var rewritten: Int
        public var status: EncryptionStatus
    }

    let store: EncryptingStore
    let file: EncryptionConfigFile

    public init(store: EncryptingStore, file: EncryptionConfigFile) {
        self.store = store
        self.file = file
    }

    public func run(now: Date = Date()) async throws -> Report {
        let plan = try RotationPlan(store.configuration, now: now)
        try file.save(plan.withNewKeys)
        await store.reconfigure(plan.withNewKeys)
        let rewritten = try await rewriteStale()
        try await store.base.compact(through: try await store.base.currentRevision())
        let before = try await EncryptionStatus.measure(store.base, policy: store.policy)
        let stale = before.rules.reduce(0) { $0 + $1.stale }
        guard stale == 0 else {
            throw EncryptionConfigError("\(stale) objects are still under old keys after the rewrite; the old keys were kept (run the rotation again)")
        }
        try file.save(plan.retired)
        await store.reconfigure(plan.retired)
        let after = try await EncryptionStatus.measure(store.base, policy: store.policy)
        return Report(
            newKeys: plan.newKeys.sorted { $0.key < $1.key }.map(\.value), retiredKeys: plan.retiredKeys,
            rewritten: rewritten, status: after
        )
    }

    /// Re-seals every object whose value is not under its rule's writer key.
    private func rewriteStale() async throws -> Int {
        let policy = store.policy
        var rewritten = 0
        try await StoredObjects.forEach(in: store.base, policy: policy) { item, transformer, _ in
            guard StoredKeyID.of(item.value) != transformer.writerID else { return }
            let plaintext = try policy.open(item.value, storageKey: item.key)
            let sealed = try policy.seal(plaintext, storageKey: item.key)
            do {
                _ = try await store.base.update(item.key, value: sealed, expectedRevision: item.modRevision)
                rewritten += 1
            } catch let error as StoreError where error.code == .keyNotFound || error.isRevisionMismatch {
                // Written or deleted since the scan read it: the newer value is under the new key.
            }
        }
        return rewritten
    }
}

extension StoreError {
    var isRevisionMismatch: Bool {
        if case .revisionMismatch = code { return true }
        return false
    }
}
