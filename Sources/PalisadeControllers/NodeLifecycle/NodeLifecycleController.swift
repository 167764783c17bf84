import Foundation
import Logging
import PalisadeAPI

/// Watches over nodes' heartbeats. A node whose Lease in `kube-node-lease` (and whose Ready
/// condition) has not been renewed for `gracePeriod` gets every condition set to Unknown;
/// a node's Ready condition decides its NoExecute taint (`unreachable` when Unknown,
/// `not-ready` when False, removed when True); and the pods on a node with NoExecute taints
/// are deleted once their tolerations run out (``NoExecuteEviction``), with a
/// `TaintManagerEviction` event. Driven by Node, Lease and Pod watches, with each node
/// looked at again when its heartbeat or a toleration would expire.
public final class NodeLifecycleController: Sendable {
    public static let name = "node-controller"
    /// Kubernetes' `--node-monitor-grace-period` default.
    public static let defaultGracePeriod = Duration.seconds(40)

    let client: APIClient
    let logger: Logger
    let gracePeriod: Duration
    let nodes: Informer
    let leases: Informer
    let pods: Informer

    public init(client: APIClient, informers: InformerFactory, gracePeriod: Duration = NodeLifecycleController.defaultGracePeriod, logger: Logger) {
        self.client = client
        self.logger = logger
        self.gracePeriod = gracePeriod
        nodes = informers.informer("/api/v1/nodes")
        leases = informers.informer("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases")
        pods = informers.informer("/api/v1/pods")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [nodes, leases, pods],
            triggers: [
                .init(nodes) { [$0.object.name ?? ""] },
                .init(leases) { [$0.object.name ?? ""] },
                // Only pods on a node that evicts concern this controller.
                .init(pods) { [self] change in
                    guard let node = change.object[path: ["spec", "nodeName"]]?.stringValue,
                        let taints = self.nodes.object(node)?[path: ["spec", "taints"]]?.arrayValue,
                        taints.contains(where: { $0["effect"]?.stringValue == "NoExecute" })
                    else { return [] }
                    return [node]
                },
            ],
            workers: 2, logger: logger
        )
        await loop.run { [self] name in
            if let recheck = try await self.sync(name) { loop.queue.add(name, after: recheck) }
        }
    }

    /// One look at one node; returns when to look again.
    func sync(_ name: String, now: Date = Date()) async throws -> Duration? {
        guard let node = nodes.object(name) else { return nil }
        let silentFor = now.timeIntervalSince(NodeHealth.lastHeartbeat(of: node, lease: leases.object("kube-node-lease/\(name)")))
        let grace = TimeInterval(gracePeriod.components.seconds) + TimeInterval(gracePeriod.components.attoseconds) / 1e18
        if silentFor > grace {
            if NodeHealth.readyCondition(of: node)?["status"]?.stringValue != "Unknown" {
                return try await markUnknown(node, now: now)
            }
        }
        let taints = NodeHealth.taints(of: node, now: now)
        if taints != (node[path: ["spec", "taints"]]?.arrayValue ?? []) {
            var updated = node
            updated[path: ["spec", "taints"]] = .array(taints)
            try await client.update("/api/v1/nodes/\(name)", updated)
            return nil  // The update comes back through the watch.
        }
        var next = silentFor > grace ? nil : Self.duration(grace - silentFor)
        if let due = try await evictPods(on: node, taints: taints, now: now) {
            next = min(next ?? due, due)
        }
        return next
    }

    private func markUnknown(_ node: JSONValue, now: Date) async throws -> Duration? {
        var updated = node
        updated[path: ["status", "conditions"]] = .array(NodeHealth.unknownConditions(of: node, now: now))
        try await client.update("/api/v1/nodes/\(node.name ?? "")/status", updated)
        logger.info("node stopped posting its status", metadata: ["node": "\(node.name ?? "")"])
        return nil
    }

    /// Deletes the pods whose tolerations have run out; returns when the next one will.
    private func evictPods(on node: JSONValue, taints: [JSONValue], now: Date) async throws -> Duration? {
        guard taints.contains(where: { $0["effect"]?.stringValue == "NoExecute" }) else { return nil }
        var next: Duration?
        let events = EventRecorder(client: client, component: "taint-eviction-controller")
        for pod in pods.objects() where pod[path: ["spec", "nodeName"]]?.stringValue == node.name && PodState.isActive(pod) {
            guard let deadline = NoExecuteEviction.deadline(for: pod, taints: taints, now: now) else { continue }
            if deadline > now {
                let due = Self.duration(deadline.timeIntervalSince(now))
                next = min(next ?? due, due)
                continue
            }
            let path = "/api/v1/namespaces/\(pod.namespace ?? "")/pods/\(pod.name ?? "")"
            guard try await client.delete(path) else { continue }
            try? await events.record(pod, kind: "Pod", reason: "TaintManagerEviction", message: "Marking for deletion Pod \(Informer.key(pod))")
        }
        return next
    }

    private static func duration(_ interval: TimeInterval) -> Duration {
        .milliseconds(Int64((interval * 1000).rounded(.up)) + 10)
    }
}
