import Foundation
import Logging
import PalisadeAPI
import PalisadeClient
import Synchronization

/// A local copy of one resource in every namespace, kept current by a list and then a watch
/// from the list's resourceVersion (re-listing when the server says that version is gone),
/// and a stream of its changes for each subscriber. Controllers read the copy instead of
/// the server and are woken by the changes: nothing polls.
public final class Informer: Sendable {
    /// One change to the copy.
    public struct Change: Sendable {
        public enum Kind: Sendable { case added, modified, deleted }
        public let kind: Kind
        public let object: JSONValue
        /// The object before a modification or deletion.
        public let old: JSONValue?
    }

    private struct State {
        private(set) var objects: [String: JSONValue] = [:]
        /// The keys of each namespace's objects, so a namespace is read without a scan.
        private(set) var keysByNamespace: [String: Set<String>] = [:]
        var synced = false
        var subscribers: [Int: AsyncStream<Change>.Continuation] = [:]
        var nextSubscriber = 0
        var syncWaiters: [CheckedContinuation<Void, Never>] = []
        var running = false

        mutating func set(_ key: String, _ object: JSONValue?) {
            let namespace = (object ?? objects[key])?.namespace ?? ""
            objects[key] = object
            if object != nil {
                keysByNamespace[namespace, default: []].insert(key)
            } else {
                keysByNamespace[namespace]?.remove(key)
                if keysByNamespace[namespace]?.isEmpty == true { keysByNamespace[namespace] = nil }
            }
        }

        mutating func replaceAll(_ fresh: [String: JSONValue]) {
            objects = fresh
            keysByNamespace = [:]
            for (key, object) in fresh { keysByNamespace[object.namespace ?? "", default: []].insert(key) }
        }
    }

    /// The collection path across namespaces, such as `/api/v1/pods`.
    public let path: String
    let client: APIClient
    let logger: Logger
    private let state = Mutex(State())

    public init(path: String, client: APIClient, logger: Logger) {
        self.path = path
        self.client = client
        self.logger = logger
    }

    /// `namespace/name`, or `name` for cluster-scoped objects.
    public static func key(_ object: JSONValue) -> String {
        let name = object.name ?? ""
        guard let namespace = object.namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }

    public func object(_ key: String) -> JSONValue? {
        state.withLock { $0.objects[key] }
    }

    public func objects() -> [JSONValue] {
        state.withLock { Array($0.objects.values) }
    }

    public func objects(in namespace: String) -> [JSONValue] {
        state.withLock { state in (state.keysByNamespace[namespace] ?? []).compactMap { state.objects[$0] } }
    }

    /// Every change from now on, after an `added` for each object already known.
    public func changes() -> AsyncStream<Change> {
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self)
        let id = state.withLock { state in
            for object in state.objects.values { continuation.yield(Change(kind: .added, object: object, old: nil)) }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) } }
        return stream
    }

    /// Returns once the first list has been applied.
    public func waitForSync() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.synced { return true }
                state.syncWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Lists and watches until cancelled; failures are logged and retried after a pause. A
    /// shared informer is run by each of its users: the first keeps the copy current, the
    /// others only wait with it until cancelled.
    public func run() async {
        let first = state.withLock { state in
            defer { state.running = true }
            return !state.running
        }
        guard first else {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return
        }
        while !Task.isCancelled {
            do {
                var resourceVersion = try await relist()
                while !Task.isCancelled, let next = try await watch(from: resourceVersion) {
                    resourceVersion = next
                }
            } catch is CancellationError {
                break
            } catch {
                logger.warning("informer for \(path) failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        // Finished outside the lock: finishing runs the stream's onTermination, which locks.
        let (subscribers, waiters) = state.withLock { state in
            defer {
                state.subscribers = [:]
                state.syncWaiters = []
            }
            return (Array(state.subscribers.values), state.syncWaiters)
        }
        for continuation in subscribers { continuation.finish() }
        for waiter in waiters { waiter.resume() }
    }

    /// Replaces the copy with a fresh list, reporting the differences as changes.
    private func relist() async throws -> String {
        let list = try await client.list(path)
        var fresh: [String: JSONValue] = [:]
        for object in list.items { fresh[Self.key(object)] = object }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            for (key, object) in fresh {
                let old = state.objects[key]
                if old == nil {
                    publish(Change(kind: .added, object: object, old: nil), &state)
                } else if old?.resourceVersion != object.resourceVersion {
                    publish(Change(kind: .modified, object: object, old: old), &state)
                }
            }
            for (key, old) in state.objects where fresh[key] == nil {
                publish(Change(kind: .deleted, object: old, old: old), &state)
            }
            state.replaceAll(fresh)
            state.synced = true
            defer { state.syncWaiters = [] }
            return state.syncWaiters
        }
        for waiter in waiters { waiter.resume() }
        return list.resourceVersion
    }

    /// Applies watch events from `resourceVersion` until the server ends the watch.
    /// - Returns: the version to watch from next, or nil when a re-list is needed.
    private func watch(from resourceVersion: String) async throws -> String? {
        let separator = path.contains("?") ? "&" : "?"
        let events = try await client.http.watch(
            "\(path)\(separator)watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=\(resourceVersion)"
        )
        var version = resourceVersion
        for try await event in events {
            guard let object = event["object"] else { continue }
            switch event["type"]?.stringValue {
            case "ADDED", "MODIFIED":
                apply(object, deleted: false)
            case "DELETED":
                apply(object, deleted: true)
            case "BOOKMARK":
                break
            default:
                // An ERROR event: 410 Gone (the version was compacted) or another failure.
                return nil
            }
            if let next = object.resourceVersion { version = next }
        }
        return version
    }

    private func apply(_ object: JSONValue, deleted: Bool) {
        let key = Self.key(object)
        state.withLock { state in
            let old = state.objects[key]
            if deleted {
                state.set(key, nil)
                publish(Change(kind: .deleted, object: object, old: old), &state)
            } else {
                state.set(key, object)
                publish(Change(kind: old == nil ? .added : .modified, object: object, old: old), &state)
            }
        }
    }

    private func publish(_ change: Change, _ state: inout State) {
        for continuation in state.subscribers.values { continuation.yield(change) }
    }
}
