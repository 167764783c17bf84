import Foundation
import Logging
import PalisadeAPI
import PalisadeClient
import PalisadeControllers

/// Simulated nodes for tests and benchmarks, as Kubernetes' hollow nodes (kubemark) are:
/// each registers a Ready Node with a fixed capacity, marks the pods bound to it Running
/// and Ready without starting any process, and completes their deletion as a kubelet would.
/// A test and benchmark tool, not a runtime.
public final class HollowNodes: Sendable {
    public let names: [String]
    let client: APIClient
    let capacity: JSONValue
    let labels: @Sendable (Int) -> [String: String]
    let logger: Logger

    /// - Parameters:
    ///   - client: who registers the nodes and reports their pods (an administrator).
    ///   - labels: extra labels of node `i` (zones, roles).
    public init(
        client: PalisadeClient, count: Int, prefix: String = "hollow-", cpu: String = "4", memory: String = "16Gi", pods: Int = 110,
        labels: @escaping @Sendable (Int) -> [String: String] = { _ in [:] }, logger: Logger = Logger(label: "hollow-nodes")
    ) {
        self.client = APIClient(client)
        names = (0..<count).map { "\(prefix)\($0)" }
        capacity = ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(pods))]
        self.labels = labels
        self.logger = logger
    }

    /// Creates the Node objects, a few at a time.
    public func register(taints: [String: [JSONValue]] = [:]) async throws {
        let now = JSONValue.string(Timestamp.format(Date()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, name) in names.enumerated() {
                if index >= 16 { try await group.next() }
                var nodeLabels = labels(index)
                nodeLabels["kubernetes.io/hostname"] = name
                let node: JSONValue = [
                    "apiVersion": "v1", "kind": "Node",
                    "metadata": ["name": .string(name), "labels": .object(nodeLabels.mapValues(JSONValue.string))],
                    "spec": taints[name].map { ["taints": .array($0)] } ?? .emptyObject,
                    "status": [
                        "capacity": capacity, "allocatable": capacity,
                        "conditions": [["type": "Ready", "status": "True", "reason": "HollowNodeReady", "lastHeartbeatTime": now, "lastTransitionTime": now]],
                        "nodeInfo": ["kubeletVersion": "v1.32.0-hollow"],
                    ],
                ]
                group.addTask { [client] in try await client.create("/api/v1/nodes", node) }
            }
            try await group.waitForAll()
        }
    }

    /// Reports the pods bound to these nodes until cancelled.
    public func run() async {
        let pods = Informer(path: "/api/v1/pods", client: client, logger: logger)
        let mine = Set(names)
        let changes = pods.changes()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pods.run() }
            group.addTask {
                for await change in changes where change.kind != .deleted {
                    let pod = change.object
                    guard let node = pod[path: ["spec", "nodeName"]]?.stringValue, mine.contains(node) else { continue }
                    await self.report(pod, on: node)
                }
            }
        }
    }

    private func report(_ pod: JSONValue, on node: String) async {
        let path = "/api/v1/namespaces/\(pod.namespace ?? "")/pods/\(pod.name ?? "")"
        do {
            if pod.deletionTimestamp != nil {
                try await client.delete(path, options: ["gracePeriodSeconds": 0])
            } else if pod[path: ["status", "phase"]]?.stringValue == "Pending" {
                try await client.patch(path + "/status", ["status": Self.running(pod, node: node)])
            }
        } catch let failure as APIFailure where failure.isNotFound || failure.isConflict {
            return
        } catch {
            logger.warning("hollow node could not report a pod", metadata: ["pod": "\(Informer.key(pod))", "error": "\(error)"])
        }
    }

    /// The status a kubelet reports once every container runs and is ready.
    static func running(_ pod: JSONValue, node: String) -> JSONValue {
        let now = JSONValue.string(Timestamp.format(Date()))
        let conditions: [JSONValue] = ["PodScheduled", "Initialized", "ContainersReady", "Ready"].map {
            ["type": .string($0), "status": "True", "lastTransitionTime": now, "lastProbeTime": .null]
        }
        let containers = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).map { container -> JSONValue in
            [
                "name": container["name"] ?? "", "image": container["image"] ?? "", "imageID": "", "ready": true, "started": true,
                "restartCount": 0, "state": ["running": ["startedAt": now]],
            ]
        }
        return [
            "phase": "Running", "conditions": .array(conditions), "containerStatuses": .array(containers),
            "hostIP": "10.0.0.1", "podIP": "10.244.0.1", "startTime": now,
        ]
    }
}
