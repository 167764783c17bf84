import Foundation
import NIOCore
import PalisadeAPI
import PalisadeStore
import Synchronization

/// Revoked client certificates, by serial: kept in the store
/// (`/registry/palisade.dev/revokedcertificates/<serial>`) so a revocation outlives restarts,
/// held in memory for the handshake to consult, and enforced on connections already open,
/// which are closed the moment their certificate is revoked. Kubernetes has no way to do
/// this short of replacing the CA.
public final class Revocations: Sendable {
    static let prefix = "/registry/palisade.dev/revokedcertificates/"

    private let store: any Store
    private let revoked = Mutex<Set<String>>([])
    /// Open connections and the serial of the certificate each was made with.
    private let connections = Mutex<[ObjectIdentifier: (serial: String, channel: any Channel)]>([:])

    /// Loads what was revoked before.
    public init(store: any Store) async throws(APIError) {
        self.store = store
        let stored: [KeyValue]
        do {
            stored = try await store.range(prefix: Self.prefix, startAfter: nil, limit: nil, revision: nil).items
        } catch {
            throw error.apiError
        }
        revoked.withLock { $0 = Set(stored.map { String($0.key.dropFirst(Self.prefix.count)) }) }
    }

    public func isRevoked(_ serial: String) -> Bool {
        revoked.withLock { $0.contains(serial) }
    }

    /// Records the revocation, then refuses the certificate from the next handshake on and
    /// closes the connections made with it. Revoking twice changes nothing.
    public func revoke(_ serial: String, by user: String) async throws(APIError) {
        let record: JSONValue = ["serial": .string(serial), "revokedBy": .string(user), "revokedAt": .string(Timestamp.format(Date()))]
        do {
            _ = try await store.create(Self.prefix + serial, value: JSONSerializer.bytes(record))
        } catch where error.code == .keyExists {
            // Already revoked.
        } catch {
            throw error.apiError
        }
        revoked.withLock { _ = $0.insert(serial) }
        let doomed = connections.withLock { open in open.values.filter { $0.serial == serial }.map(\.channel) }
        for channel in doomed { channel.close(promise: nil) }
    }

    /// Called at each handshake with the verified leaf's serial: false refuses the
    /// connection; otherwise it is remembered until it closes.
    func admit(_ channel: any Channel, serial: String) -> Bool {
        guard !isRevoked(serial) else { return false }
        let id = ObjectIdentifier(channel)
        connections.withLock { $0[id] = (serial, channel) }
        channel.closeFuture.whenComplete { [weak self] _ in _ = self?.connections.withLock { $0.removeValue(forKey: id) } }
        // Revoked between the check and the registration: close it now rather than let it through.
        if isRevoked(serial) { channel.close(promise: nil) }
        return true
    }
}
