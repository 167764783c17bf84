import Foundation
import Logging
import PalisadeAPI
import PalisadeClient
import PalisadeControllers
import Synchronization

/// Simulated nodes for tests and benchmarks, as Kubernetes' hollow nodes (kubemark) are:
/// each registers a Ready Node with a fixed capacity, marks the pods bound to it Running
/// and Ready without starting any process (each with its own pod IP), completes their
/// deletion as a kubelet would, and renews each node's Lease in `kube-node-lease` as its
/// heartbeat. A test and benchmark tool, not a runtime.
///
/// A pod annotated `hollow.palisade.dev/exit-code: "<code>"` (``exitCodeAnnotation``) runs and
/// then its containers exit with that code: with 0 it ends `Succeeded`; otherwise with
/// `restartPolicy: Never` it ends `Failed`, and with `OnFailure` (or `Always`, which also
/// restarts after 0) it stays `Running` while each container's `restartCount` grows, up to
/// ``maxRestarts``, so Job tests can finish pods and exhaust a backoff limit.
public final class HollowNodes: Sendable {
    public let names: [String]
    let client: APIClient
    let capacity: JSONValue
    let labels: @Sendable (Int) -> [String: String]
    let logger: Logger
    private let assignedIPs = Mutex(0)
    /// Nodes that stopped renewing their Lease (as if their agent died).
    private let silenced = Mutex(Set<String>())

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

    /// Reports the pods bound to these nodes, and renews their Leases every `heartbeat`
    /// (never when nil), until cancelled.
    public func run(heartbeat: Duration? = .seconds(10)) async {
        let pods = Informer(path: "/api/v1/pods", client: client, logger: logger)
        let mine = Set(names)
        let changes = pods.changes()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pods.run() }
            if let heartbeat {
                group.addTask {
                    repeat { await self.renewLeases(every: heartbeat) } while (try? await Task.sleep(for: heartbeat)) != nil
                }
            }
            group.addTask {
                for await change in changes where change.kind != .deleted {
                    let pod = change.object
                    guard let node = pod[path: ["spec", "nodeName"]]?.stringValue, mine.contains(node) else { continue }
                    await self.report(pod, on: node)
                }
            }
        }
    }

    /// Stops the heartbeat of `node`: its Lease ages as a dead agent's would.
    public func silence(_ node: String) {
        _ = silenced.withLock { $0.insert(node) }
    }

    private func renewLeases(every interval: Duration) async {
        let now = JSONValue.string(Timestamp.formatMicro(Date()))
        let beating = silenced.withLock { silenced in names.filter { !silenced.contains($0) } }
        await withTaskGroup(of: Void.self) { group in
            for (index, name) in beating.enumerated() {
                if index >= 16 { await group.next() }
                group.addTask { [client] in
                    let lease: JSONValue = [
                        "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                        "metadata": ["name": .string(name), "namespace": "kube-node-lease"],
                        "spec": [
                            "holderIdentity": .string(name), "renewTime": now,
                            "leaseDurationSeconds": .int(Int64(interval.components.seconds * 4)),
                        ],
                    ]
                    let path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/\(name)"
                    do {
                        do {
                            try await client.patch(path, ["spec": lease["spec"]!])
                        } catch let failure as APIFailure where failure.isNotFound {
                            try await client.create("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease)
                        }
                    } catch {
                        self.logger.warning("hollow node could not renew its lease", metadata: ["node": "\(name)", "error": "\(error)"])
                    }
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
                try await client.patch(path + "/status", ["status": Self.running(pod, hostIP: hostIP(of: node), podIP: nextPodIP())])
            } else if pod[path: ["status", "phase"]]?.stringValue == "Running", let exited = Self.exited(pod) {
                try await client.patch(path + "/status", ["status": exited])
            }
        } catch let failure as APIFailure where failure.isNotFound || failure.isConflict {
            return
        } catch {
            logger.warning("hollow node could not report a pod", metadata: ["pod": "\(Informer.key(pod))", "error": "\(error)"])
        }
    }

    /// 10.0.x.y, one per node.
    private func hostIP(of node: String) -> String {
        let index = names.firstIndex(of: node) ?? 0
        return "10.0.\(index / 250).\(index % 250 + 1)"
    }

    /// 10.244.x.y, a new one per pod (65,000 before they repeat).
    private func nextPodIP() -> String {
        let number = assignedIPs.withLock { count in
            defer { count += 1 }
            return count % 65_000
        }
        return "10.244.\(number / 250).\(number % 250 + 2)"
    }

    /// The annotation that makes a running pod's containers exit with that code (see the type).
    public static let exitCodeAnnotation = "hollow.palisade.dev/exit-code"
    /// Restarts at most of a pod whose containers keep exiting: its restart count stays there.
    public static let maxRestarts = 10

    /// The status a kubelet reports once the containers of a running pod annotated with
    /// ``exitCodeAnnotation`` exit: finished (Succeeded on 0, else Failed) unless its restart
    /// policy restarts them, in which case it stays Running with one restart more and the exit
    /// as `lastState` (nil when ``maxRestarts`` is reached, or without the annotation).
    static func exited(_ pod: JSONValue) -> JSONValue? {
        guard let code = pod[path: ["metadata", "annotations", exitCodeAnnotation]]?.stringValue.flatMap({ Int64($0) }) else { return nil }
        let policy = pod[path: ["spec", "restartPolicy"]]?.stringValue ?? "Always"
        let restarts = code == 0 ? policy == "Always" : policy != "Never"
        let now = JSONValue.string(Timestamp.format(Date()))
        var status = pod["status"] ?? .emptyObject
        let containers = status["containerStatuses"]?.arrayValue ?? []
        let terminated: JSONValue = [
            "exitCode": .int(code), "reason": code == 0 ? "Completed" : "Error",
            "startedAt": status["startTime"] ?? now, "finishedAt": now,
        ]
        if restarts {
            guard containers.allSatisfy({ ($0["restartCount"]?.intValue ?? 0) < Int64(maxRestarts) }) else { return nil }
            status["containerStatuses"] = .array(containers.map { container in
                var container = container
                container["restartCount"] = .int((container["restartCount"]?.intValue ?? 0) + 1)
                container["lastState"] = ["terminated": terminated]
                container["state"] = ["running": ["startedAt": now]]
                return container
            })
            return status
        }
        status["phase"] = code == 0 ? "Succeeded" : "Failed"
        status["containerStatuses"] = .array(containers.map { container in
            var container = container
            container["ready"] = false
            container["started"] = false
            container["state"] = ["terminated": terminated]
            return container
        })
        status["conditions"] = .array((status["conditions"]?.arrayValue ?? []).map { condition in
            guard ["Ready", "ContainersReady"].contains(condition["type"]?.stringValue ?? "") else { return condition }
            var condition = condition
            condition["status"] = "False"
            condition["reason"] = code == 0 ? "PodCompleted" : "PodFailed"
            condition["lastTransitionTime"] = now
            return condition
        })
        return status
    }

    /// The status a kubelet reports once every container runs and is ready.
    static func running(_ pod: JSONValue, hostIP: String, podIP: String) -> JSONValue {
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
            "hostIP": .string(hostIP), "hostIPs": [["ip": .string(hostIP)]],
            "podIP": .string(podIP), "podIPs": [["ip": .string(podIP)]], "startTime": now,
        ]
    }
}
