import Foundation
import Logging
import PalisadeAPI
import PalisadeControllers
import PalisadeRuntime

/// The agent's Node: registered with what the machine offers, kept Ready, and its Lease in
/// `kube-node-lease` renewed as the heartbeat the node lifecycle controller watches.
struct NodeStatusReporter: Sendable {
    let client: APIClient
    let name: String
    let address: String
    /// The port of the agent's own endpoint (container logs), and the authority of its
    /// serving certificate: the only one the server trusts when it calls there.
    let daemonPort: Int
    let servingAuthorityPEM: String
    let resources: NodeResources
    let heartbeat: Duration
    let logger: Logger

    private static let leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"

    var nodePath: String { "/api/v1/nodes/\(name)" }

    /// Creates the Node, or brings an existing one (an agent restarted) up to date.
    func register() async throws {
        let now = Timestamp.format(Date())
        let labels: JSONValue = [
            "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": .string(resources.architecture),
        ]
        let annotations: JSONValue = [.init(NodeAnnotations.servingAuthority): .string(servingAuthorityPEM)]
        let status = status(now: now)
        if try await client.get(nodePath) == nil {
            let node: JSONValue = [
                "apiVersion": "v1", "kind": "Node",
                "metadata": ["name": .string(name), "labels": labels, "annotations": annotations],
                "spec": .emptyObject, "status": status,
            ]
            try await client.create("/api/v1/nodes", node)
        } else {
            try await client.patch(nodePath, ["metadata": ["labels": labels, "annotations": annotations]])
            try await client.patch(nodePath + "/status", ["status": status])
        }
        logger.info("node registered", metadata: ["node": "\(name)", "address": "\(address)"])
    }

    /// Renews the Lease every `heartbeat`, and reports Ready again whenever the Node is not
    /// (after the lifecycle controller marked it Unknown), until cancelled.
    func run() async {
        var beats = 0
        repeat {
            do {
                try await renewLease()
                let current = try await client.get(nodePath)?[path: ["status", "conditions"]]?.arrayValue ?? []
                let ready = current.first { $0["type"]?.stringValue == "Ready" }
                // The conditions' heartbeat times are refreshed about once a minute, as the kubelet's are.
                if ready?["status"]?.stringValue != "True" || beats % 6 == 0 {
                    try await client.patch(nodePath + "/status", ["status": ["conditions": conditions(now: Timestamp.format(Date()), previous: current)]])
                }
            } catch {
                logger.warning("node heartbeat failed", metadata: ["node": "\(name)", "error": "\(error)"])
            }
            beats += 1
        } while (try? await Task.sleep(for: heartbeat)) != nil
    }

    private func renewLease() async throws {
        let spec: JSONValue = [
            "holderIdentity": .string(name), "leaseDurationSeconds": .int(40), "renewTime": .string(Timestamp.formatMicro(Date())),
        ]
        do {
            try await client.patch("\(Self.leases)/\(name)", ["spec": spec])
        } catch let failure as APIFailure where failure.isNotFound {
            let lease: JSONValue = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": ["name": .string(name), "namespace": "kube-node-lease"], "spec": spec,
            ]
            try await client.create(Self.leases, lease)
        }
    }

    private func status(now: String) -> JSONValue {
        [
            "capacity": resources.capacity, "allocatable": resources.allocatable, "nodeInfo": resources.nodeInfo,
            "addresses": [["type": "InternalIP", "address": .string(address)], ["type": "Hostname", "address": .string(name)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": .int(Int64(daemonPort))]],
            "conditions": conditions(now: now, previous: []),
        ]
    }

    /// The node's conditions, each keeping its `lastTransitionTime` from `previous` while its
    /// status is unchanged.
    private func conditions(now: String, previous: [JSONValue]) -> JSONValue {
        let pressures: [(String, String)] = [
            ("MemoryPressure", "KubeletHasSufficientMemory"), ("DiskPressure", "KubeletHasNoDiskPressure"), ("PIDPressure", "KubeletHasSufficientPID"),
        ]
        var conditions: [JSONValue] = pressures.map { type, reason in
            ["type": .string(type), "status": "False", "reason": .string(reason), "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now)]
        }
        conditions.append([
            "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "palisade agent is posting ready status",
            "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now),
        ])
        return .array(conditions.map { condition in
            let earlier = previous.first { $0["type"] == condition["type"] }
            guard let earlier, earlier["status"] == condition["status"], let since = earlier["lastTransitionTime"] else { return condition }
            var kept = condition
            kept["lastTransitionTime"] = since
            return kept
        })
    }
}
