import Foundation
import Logging
import PalisadeAPI
import Synchronization

/// Kubernetes' garbage collector for the objects the controllers own: dependents whose
/// owners are all gone are deleted (Background propagation); an owner deleted with
/// `propagationPolicy: Foreground` (finalizer `foregroundDeletion`) stays until its
/// dependents are deleted; one deleted with `Orphan` (finalizer `orphan`) first has its
/// dependents' references to it removed. Owners and dependents are found through
/// `metadata.ownerReferences` in the informers of the watched kinds.
public final class GarbageCollector: Sendable {
    public static let name = "generic-garbage-collector"
    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"

    /// A kind the collector watches, as owner and as dependent.
    struct Watched: Sendable {
        let kind: String
        let apiVersion: String
        let collection: String

        func path(namespace: String?, name: String) -> String {
            let root = apiVersion == "v1" ? "/api/v1" : "/apis/\(apiVersion)"
            let plural = collection.split(separator: "/").last.map(String.init) ?? ""
            guard let namespace, !namespace.isEmpty else { return "\(root)/\(plural)/\(name)" }
            return "\(root)/namespaces/\(namespace)/\(plural)/\(name)"
        }
    }

    static let watched = [
        Watched(kind: "Pod", apiVersion: "v1", collection: "/api/v1/pods"),
        Watched(kind: "ReplicaSet", apiVersion: "apps/v1", collection: "/apis/apps/v1/replicasets"),
        Watched(kind: "Deployment", apiVersion: "apps/v1", collection: "/apis/apps/v1/deployments"),
        Watched(kind: "StatefulSet", apiVersion: "apps/v1", collection: "/apis/apps/v1/statefulsets"),
        Watched(kind: "DaemonSet", apiVersion: "apps/v1", collection: "/apis/apps/v1/daemonsets"),
        Watched(kind: "Job", apiVersion: "batch/v1", collection: "/apis/batch/v1/jobs"),
        Watched(kind: "PersistentVolumeClaim", apiVersion: "v1", collection: "/api/v1/persistentvolumeclaims"),
        Watched(kind: "Service", apiVersion: "v1", collection: "/api/v1/services"),
        Watched(kind: "EndpointSlice", apiVersion: "discovery.k8s.io/v1", collection: "/apis/discovery.k8s.io/v1/endpointslices"),
    ]

    /// What to look at: an owner being deleted, or a dependent whose owners may be gone.
    enum Work: Hashable, Sendable {
        case owner(kind: Int, key: String)
        case dependent(kind: Int, key: String)
    }

    let client: APIClient
    let logger: Logger
    let informers: [Informer]
    private let index = Mutex(Index())

    /// Where an object is: which informer, and its key there.
    struct Location: Hashable, Sendable {
        let kind: Int
        let key: String
    }

    /// Kept from the changes, so owners and dependents are found without scanning the informers.
    struct Index {
        /// Every watched object, by uid.
        var locations: [String: Location] = [:]
        /// The objects naming each owner uid in their ownerReferences.
        var dependents: [String: Set<Location>] = [:]

        mutating func apply(_ change: Informer.Change, kind: Int) {
            let location = Location(kind: kind, key: Informer.key(change.object))
            for owner in change.old.map(GarbageCollector.ownerUIDs) ?? [] {
                dependents[owner]?.remove(location)
                if dependents[owner]?.isEmpty == true { dependents[owner] = nil }
            }
            guard change.kind != .deleted else {
                locations[change.object.uid ?? ""] = nil
                return
            }
            locations[change.object.uid ?? ""] = location
            for owner in GarbageCollector.ownerUIDs(change.object) { dependents[owner, default: []].insert(location) }
        }
    }

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        self.informers = Self.watched.map { informers.informer($0.collection) }
    }

    public func run() async {
        let loop = ReconcileLoop<Work>(
            name: Self.name, informers: informers,
            triggers: informers.indices.map { kind in .init(informers[kind]) { [self] change in self.work(kind, change) } },
            workers: 2, logger: logger
        )
        await loop.run { [self] work in
            switch work {
            case .owner(let kind, let key): try await self.finalize(kind, key)
            case .dependent(let kind, let key): try await self.collect(kind, key)
            }
        }
    }

    /// What a change calls for.
    func work(_ kind: Int, _ change: Informer.Change) -> [Work] {
        let object = change.object
        let key = Informer.key(object)
        var work: [Work] = []
        index.withLock { $0.apply(change, kind: kind) }
        if change.kind != .deleted {
            if object.deletionTimestamp != nil && !Set(object.finalizers).isDisjoint(with: [Self.orphanFinalizer, Self.foregroundFinalizer]) {
                work.append(.owner(kind: kind, key: key))
            }
            if !Self.ownerUIDs(object).isEmpty { work.append(.dependent(kind: kind, key: key)) }
        } else {
            // Its dependents may be orphans now; its owners may be waiting for it (Foreground).
            work += dependents(of: object.uid ?? "").map { .dependent(kind: $0.kind, key: Informer.key($0.object)) }
            work += index.withLock { index in
                Self.ownerUIDs(object).compactMap { index.locations[$0].map { .owner(kind: $0.kind, key: $0.key) } }
            }
        }
        return work
    }

    static func ownerUIDs(_ object: JSONValue) -> [String] {
        (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }

    private func dependents(of uid: String) -> [(kind: Int, object: JSONValue)] {
        guard !uid.isEmpty else { return [] }
        let locations = index.withLock { $0.dependents[uid] ?? [] }
        return locations.compactMap { location in informers[location.kind].object(location.key).map { (location.kind, $0) } }
    }

    /// An owner being deleted with Orphan or Foreground propagation.
    private func finalize(_ kind: Int, _ key: String) async throws {
        guard let owner = informers[kind].object(key), owner.deletionTimestamp != nil, let uid = owner.uid else { return }
        let dependents = dependents(of: uid)
        let watched = Self.watched[kind]
        if owner.finalizers.contains(Self.orphanFinalizer) {
            for (dependentKind, dependent) in dependents {
                var references = dependent[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
                references.removeAll { $0["uid"]?.stringValue == uid }
                try await client.patch(path(dependentKind, dependent), [
                    "metadata": ["ownerReferences": .array(references), "resourceVersion": .string(dependent.resourceVersion ?? "")],
                ])
            }
            try await removeFinalizer(Self.orphanFinalizer, from: owner, path: watched.path(namespace: owner.namespace, name: owner.name ?? ""))
        } else if owner.finalizers.contains(Self.foregroundFinalizer) {
            for (dependentKind, dependent) in dependents where dependent.deletionTimestamp == nil {
                let propagation = Self.blocks(dependent, uid) ? "Foreground" : "Background"
                try await client.delete(path(dependentKind, dependent), options: ["propagationPolicy": .string(propagation)])
            }
            // The owner goes once the dependents that block it are gone (their deletions wake it up again).
            if !dependents.contains(where: { Self.blocks($0.object, uid) }) {
                try await removeFinalizer(Self.foregroundFinalizer, from: owner, path: watched.path(namespace: owner.namespace, name: owner.name ?? ""))
            }
        }
    }

    /// Whether `dependent`'s reference to the owner `uid` has `blockOwnerDeletion`.
    static func blocks(_ dependent: JSONValue, _ uid: String) -> Bool {
        (dependent[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [])
            .contains { $0["uid"]?.stringValue == uid && $0["blockOwnerDeletion"]?.boolValue == true }
    }

    /// A dependent whose owners may all be gone: deleted once the server confirms that
    /// none of them exists any more (the informers might only be behind).
    private func collect(_ kind: Int, _ key: String) async throws {
        guard let dependent = informers[kind].object(key), dependent.deletionTimestamp == nil else { return }
        let references = dependent[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
        guard !references.isEmpty else { return }
        for reference in references {
            let uid = reference["uid"]?.stringValue ?? ""
            if index.withLock({ $0.locations[uid] }) != nil { return }
            // An owner of a kind not watched here is left alone: it may well exist.
            guard let ownerKind = Self.watched.first(where: { $0.kind == reference["kind"]?.stringValue }) else { return }
            let current = try await client.get(ownerKind.path(namespace: dependent.namespace, name: reference["name"]?.stringValue ?? ""))
            if current?.uid == uid { return }
        }
        try await client.delete(path(kind, dependent), options: ["propagationPolicy": "Background"])
    }

    private func removeFinalizer(_ finalizer: String, from owner: JSONValue, path: String) async throws {
        try await client.patch(path, [
            "metadata": ["finalizers": .array(owner.finalizers.filter { $0 != finalizer }.map(JSONValue.string)), "resourceVersion": .string(owner.resourceVersion ?? "")],
        ])
    }

    private func path(_ kind: Int, _ object: JSONValue) -> String {
        Self.watched[kind].path(namespace: object.namespace, name: object.name ?? "")
    }
}
