import Logging
import PalisadeAPI
import PalisadeAuth
import PalisadeStore
import ServiceLifecycle
import Synchronization

/// The RBAC policy in memory, fed by one watch on every RBAC object, and never behind a
/// write this server has acknowledged: the registry reports each committed RBAC write
/// (``WriteObserver``) before its client hears back, and ``current()`` waits until the watch
/// has applied that revision. So a changed role or binding governs the very next request.
public final class RBACPolicyCache: WriteObserver, Service {
    static let group = "rbac.authorization.k8s.io"
    static let prefix = "/registry/\(group)/"
    /// How long a request waits for the cache to catch up before it is decided on an empty
    /// policy (fail closed: nothing is granted by RBAC then).
    static let catchUpLimit = Duration.seconds(5)

    private struct State {
        var policy = RBACPolicy()
        /// The revision the policy reflects; -1 until the first listing.
        var applied: Int64 = -1
        /// The newest RBAC write acknowledged by this server.
        var required: Int64 = 0

        var isCurrent: Bool { applied >= 0 && applied >= required }
    }

    private let state = Mutex(State())
    let store: any Store
    let logger: Logger

    public init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func committed(_ definition: ResourceDefinition, revision: Int64) {
        guard definition.group == Self.group else { return }
        state.withLock { $0.required = max($0.required, revision) }
    }

    /// The policy including every RBAC write acknowledged so far; empty if the cache cannot
    /// catch up within ``catchUpLimit``.
    public func current() async -> RBACPolicy {
        let deadline = ContinuousClock.now + Self.catchUpLimit
        while true {
            if let policy = state.withLock({ $0.isCurrent ? $0.policy : nil }) { return policy }
            // Only right after an RBAC write: its event is already published and is being
            // applied by the watch task, which takes microseconds.
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(1))) != nil else { break }
        }
        logger.error("RBAC policy cache is behind; deciding on an empty policy")
        return RBACPolicy()
    }

    // MARK: Feeding the cache

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.follow()
                } catch is CancellationError {
                    return
                } catch {
                    // History compacted or the watch fell behind: list again.
                    self.logger.warning("RBAC policy watch restarted", metadata: ["reason": "\(error)"])
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Lists every RBAC object, then applies changes as they come.
    private func follow() async throws {
        let snapshot = try await store.range(prefix: Self.prefix, startAfter: nil, limit: nil, revision: nil)
        let objects = try snapshot.items.map { try ObjectCodec.decode($0) }
        state.withLock { state in
            state.policy = RBACPolicy(objects: objects)
            state.applied = snapshot.revision
        }
        for try await event in try await store.watch(prefix: Self.prefix, afterRevision: snapshot.revision) {
            try apply(event)
        }
    }

    private func apply(_ event: StoreEvent) throws {
        let object = try ObjectCodec.decode(event.current)
        let kind = Self.kind(ofKey: event.current.key)
        state.withLock { state in
            state.policy.apply(
                kind: kind, namespace: object.namespace ?? "", name: object.name ?? "",
                object: event.kind == .deleted ? nil : object.withKind(kind)
            )
            state.applied = event.revision
        }
    }

    /// The kind stored under `/registry/rbac.authorization.k8s.io/<resource>/…`.
    static func kind(ofKey key: String) -> String {
        let resource = key.dropFirst(prefix.count).split(separator: "/").first.map(String.init) ?? ""
        return ServedResources.lookup(group: group, version: "v1", resource: resource)?.kind ?? ""
    }
}

extension JSONValue {
    fileprivate func withKind(_ kind: String) -> JSONValue {
        var object = self
        object.kind = kind
        return object
    }
}
