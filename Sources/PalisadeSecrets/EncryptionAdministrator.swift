import Foundation
import PalisadeStore

/// The one place that rotates keys and reports status for a store, one operation at a time
/// (two rotations racing would each retire the other's key).
public actor EncryptionAdministrator {
    public let store: EncryptingStore
    public let file: EncryptionConfigFile

    public init(store: EncryptingStore, file: EncryptionConfigFile) {
        self.store = store
        self.file = file
    }

    public func status() async throws -> EncryptionStatus {
        try await EncryptionStatus.measure(store.base, policy: store.policy)
    }

    public func rotate() async throws -> KeyRotation.Report {
        try await KeyRotation(store: store, file: file).run()
    }
}
