import Foundation
import Logging
import PalisadeAPI

/// Keeps each ReplicaSet's number of pods: creates pods from its template (owned by it)
/// when there are too few, deletes the least valuable when there are too many, adopts
/// orphan pods its selector matches and releases owned pods it no longer matches, and
/// reports `status` (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
/// observedGeneration). Driven by ReplicaSet and Pod watches.
public final class ReplicaSetController: Sendable {
    public static let name = "replicaset-controller"
    /// Creations at most per pass, as Kubernetes' burst limit.
    static let burst = 500

    let client: APIClient
    let logger: Logger
    let replicaSets: Informer
    let pods: Informer
    let expectations = Expectations()

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        replicaSets = informers.informer("/apis/apps/v1/replicasets")
        pods = informers.informer("/api/v1/pods")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [replicaSets, pods],
            triggers: [
                .init(replicaSets) { [Informer.key($0.object)] },
                .init(pods) { [self] in self.owners(of: $0) },
            ],
            workers: 5, logger: logger
        )
        await loop.run { [self] key in
            if let recheck = try await self.sync(key) { loop.queue.add(key, after: recheck) }
        }
    }

    /// The ReplicaSets a pod change concerns (``PodOwners``).
    func owners(of change: Informer.Change) -> [String] {
        PodOwners.concerned(by: change, kind: "ReplicaSet", owners: replicaSets, expectations: expectations)
    }

    static func selector(of replicaSet: JSONValue) -> LabelSelector? {
        guard let selector = replicaSet[path: ["spec", "selector"]], selector.objectValue?.isEmpty == false else { return nil }
        return try? LabelSelector(object: selector)
    }

    /// One pass for one ReplicaSet. Returns when to look again (a pod becoming available).
    func sync(_ key: String, now: Date = Date()) async throws -> Duration? {
        guard let replicaSet = replicaSets.object(key) else {
            expectations.forget(key)
            return nil
        }
        guard let selector = Self.selector(of: replicaSet) else { return nil }
        let owned = try await PodClaims.claim(
            pods.objects(in: replicaSet.namespace ?? ""), for: replicaSet, kind: "ReplicaSet", apiVersion: "apps/v1", selector: selector, client: client
        )
        let active = owned.filter(PodState.isActive)
        if replicaSet.deletionTimestamp == nil && expectations.satisfied(key) {
            let wanted = Int(replicaSet[path: ["spec", "replicas"]]?.intValue ?? 1)
            var changes = PodChanges()
            if active.count < wanted {
                changes.create = Array(repeating: Self.pod(from: replicaSet), count: min(wanted - active.count, Self.burst))
            } else if active.count > wanted {
                changes.delete = Array(PodRanking.deletionOrder(active).prefix(active.count - wanted))
            }
            try await changes.carryOut(for: key, namespace: replicaSet.namespace ?? "", expectations: expectations, client: client, logger: logger)
        }
        return try await updateStatus(replicaSet, pods: active, now: now)
    }

    /// Writes `status` when it changed; returns when a ready pod will count as available.
    private func updateStatus(_ replicaSet: JSONValue, pods: [JSONValue], now: Date) async throws -> Duration? {
        let minReady = replicaSet[path: ["spec", "minReadySeconds"]]?.intValue ?? 0
        let templateLabels = replicaSet[path: ["spec", "template", "metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        let ready = pods.filter(PodState.isReady)
        let available = ready.filter { PodState.isAvailable($0, minReadySeconds: minReady, now: now) }
        var status = replicaSet["status"] ?? .emptyObject
        status["replicas"] = .int(Int64(pods.count))
        status["fullyLabeledReplicas"] = .int(Int64(pods.filter { pod in templateLabels.allSatisfy { pod.labels[$0.key] == $0.value } }.count))
        status["readyReplicas"] = .int(Int64(ready.count))
        status["availableReplicas"] = .int(Int64(available.count))
        status["observedGeneration"] = .int(replicaSet[path: ["metadata", "generation"]]?.intValue ?? 1)
        if status != replicaSet["status"] {
            var updated = replicaSet
            updated["status"] = status
            try await client.update("/apis/apps/v1/namespaces/\(replicaSet.namespace ?? "")/replicasets/\(replicaSet.name ?? "")/status", updated)
        }
        guard ready.count > available.count else { return nil }
        return .seconds(1)
    }

    /// A new pod from the ReplicaSet's template, owned by it.
    static func pod(from replicaSet: JSONValue) -> JSONValue {
        let template = replicaSet[path: ["spec", "template"]] ?? .emptyObject
        var metadata = template["metadata"]?.objectValue ?? [:]
        metadata["generateName"] = .string("\(replicaSet.name ?? "")-")
        metadata["namespace"] = .string(replicaSet.namespace ?? "")
        metadata["ownerReferences"] = [OwnerReference.make(to: replicaSet, kind: "ReplicaSet", apiVersion: "apps/v1")]
        metadata["name"] = nil
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": template["spec"] ?? .emptyObject]
    }

    static func podPath(_ pod: JSONValue) -> String {
        "/api/v1/namespaces/\(pod.namespace ?? "")/pods/\(pod.name ?? "")"
    }
}
