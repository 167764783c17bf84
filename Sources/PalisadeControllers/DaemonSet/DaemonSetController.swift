import Foundation
import Logging
import PalisadeAPI

/// Runs a DaemonSet's pod on every node that should run it, as Kubernetes' daemon set
/// controller does: a node is eligible when it matches the template's node selector and
/// required node affinity and its taints are tolerated (with the automatic tolerations of
/// daemon pods, ``DaemonPodTemplate``). Each pod is pinned to its node by a required
/// affinity on `metadata.name` and bound by the scheduler. A new node gets a pod, a node
/// gone or no longer eligible loses it, extra pods on a node are deleted (the oldest
/// stays), finished pods are replaced. `RollingUpdate` replaces pods whose
/// `controller-revision-hash` is not the template's within `maxUnavailable` (no surge);
/// `OnDelete` leaves that to the user. Orphans the selector matches are adopted. Driven by
/// DaemonSet, Pod and Node watches; `status` is what `kubectl rollout status` reads.
///
/// Palisade keeps no ControllerRevisions: the revision of a pod is its template hash.
/// Failed pods are replaced without Kubernetes' per-node backoff.
public final class DaemonSetController: Sendable {
    public static let name = "daemon-set-controller"

    let client: APIClient
    let logger: Logger
    let daemonSets: Informer
    let pods: Informer
    let nodes: Informer
    let expectations = Expectations()

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        daemonSets = informers.informer("/apis/apps/v1/daemonsets")
        pods = informers.informer("/api/v1/pods")
        nodes = informers.informer("/api/v1/nodes")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [daemonSets, pods, nodes],
            triggers: [
                .init(daemonSets) { [Informer.key($0.object)] },
                .init(pods) { [self] in self.owners(of: $0) },
                .init(nodes) { [self] change in
                    guard Self.mayChangeEligibility(change) else { return [] }
                    return self.daemonSets.objects().map(Informer.key)
                },
            ],
            workers: 5, logger: logger
        )
        await loop.run { [self] key in
            if let recheck = try await self.sync(key) { loop.queue.add(key, after: recheck) }
        }
    }

    /// The DaemonSets a pod change concerns (``PodOwners``).
    func owners(of change: Informer.Change) -> [String] {
        PodOwners.concerned(by: change, kind: "DaemonSet", owners: daemonSets, expectations: expectations)
    }

    /// Node changes that can change which nodes should run daemon pods (not heartbeats).
    static func mayChangeEligibility(_ change: Informer.Change) -> Bool {
        guard change.kind == .modified, let old = change.old else { return true }
        return NodeInfo(old).mayAdmitMoreThan(NodeInfo(change.object))
    }

    /// One pass for one DaemonSet. Returns when to look again (a pod becoming available).
    func sync(_ key: String, now: Date = Date()) async throws -> Duration? {
        guard let daemonSet = daemonSets.object(key) else {
            expectations.forget(key)
            return nil
        }
        guard let selector = ReplicaSetController.selector(of: daemonSet) else { return nil }
        let owned = try await PodClaims.claim(
            pods.objects(in: daemonSet.namespace ?? ""), for: daemonSet, kind: "DaemonSet", apiVersion: "apps/v1", selector: selector, client: client
        )
        let (nodeStates, strays) = snapshot(daemonSet, pods: owned.filter { $0.deletionTimestamp == nil })
        let hash = DaemonPodTemplate.hash(of: daemonSet)
        if daemonSet.deletionTimestamp == nil && expectations.satisfied(key) {
            var actions = DaemonPlan.manage(nodeStates, strays: strays)
            if (daemonSet[path: ["spec", "updateStrategy", "type"]]?.stringValue ?? "RollingUpdate") == "RollingUpdate" {
                let desired = nodeStates.filter(\.fit.shouldRun).count
                actions.delete += DaemonPlan.rollingUpdate(
                    nodeStates, hash: hash, maxUnavailable: DaemonPlan.maxUnavailable(daemonSet, desired: desired),
                    minReadySeconds: daemonSet[path: ["spec", "minReadySeconds"]]?.intValue ?? 0, now: now
                )
            }
            let changes = PodChanges(
                delete: actions.delete + actions.deleteNow, deleteNow: Set(actions.deleteNow.map(Informer.key)),
                create: actions.create.map { DaemonPodTemplate.pod(for: daemonSet, node: $0, hash: hash) }
            )
            try await changes.carryOut(for: key, namespace: daemonSet.namespace ?? "", expectations: expectations, client: client, logger: logger)
        }
        let status = DaemonPlan.status(daemonSet, nodes: nodeStates, hash: hash, now: now)
        if status != daemonSet["status"] {
            var updated = daemonSet
            updated["status"] = status
            try await client.update("/apis/apps/v1/namespaces/\(daemonSet.namespace ?? "")/daemonsets/\(daemonSet.name ?? "")/status", updated)
        }
        // The same wait as a StatefulSet's: when a ready pod will have been ready minReadySeconds.
        return StatefulSetStatus.nextAvailable(daemonSet, pods: nodeStates.flatMap(\.running), now: now)
    }

    /// Every node with its fit and the DaemonSet's pods for it, and the pods for no known node.
    private func snapshot(_ daemonSet: JSONValue, pods: [JSONValue]) -> ([DaemonNode], strays: [JSONValue]) {
        let placement = DaemonNodeFit.placement(of: daemonSet)
        var byNode: [String: [JSONValue]] = [:]
        for pod in pods { byNode[DaemonPodTemplate.targetNode(of: pod) ?? "", default: []].append(pod) }
        let states = nodes.objects().map { node in
            let info = NodeInfo(node)
            return DaemonNode(name: info.name, fit: DaemonNodeFit(placement, on: info), pods: byNode.removeValue(forKey: info.name) ?? [])
        }
        return (states, byNode.values.flatMap { $0 })
    }
}
