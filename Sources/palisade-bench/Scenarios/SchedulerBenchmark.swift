import ArgumentParser
import Foundation
import Logging
import PalisadeAPI
import PalisadeClient
import PalisadeControllers
import PalisadeTesting

/// `palisade-bench sched --nodes 5000 --pods 10000`: the scheduler of a running server
/// against hollow nodes. First the baseline, in the same run: the rate at which the server
/// accepts the same pods when no scheduler places them (`schedulerName` of none). Then
/// pods scheduled per second, from the first create to the last pod bound, and the ratio
/// to that baseline. Last, a Deployment of `--replicas` from create to every pod Running and
/// available on `--replica-nodes` hollow nodes (through the Deployment and ReplicaSet
/// controllers and the scheduler).
struct SchedulerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sched", abstract: "Scheduler: pods bound per second on hollow nodes.")

    @Option(help: "Kubeconfig of an administrator of the server (its scheduler runs inside it).")
    var kubeconfig: String

    @Option(help: "Hollow nodes for the scheduling rate.")
    var nodes = 5000

    @Option(help: "Pods to schedule.")
    var pods = 10000

    @Option(help: "Replicas of the Deployment brought to Running (0 skips it).")
    var replicas = 1000

    @Option(help: "Hollow nodes for the Deployment.")
    var replicaNodes = 100

    @Option(help: "Concurrent connections creating pods.")
    var connections = 16

    func run() async throws {
        let client = try PalisadeClient(kubeconfigPath: kubeconfig, connections: connections)
        defer { Task { try? await client.shutdown() } }
        var logger = Logger(label: "palisade-bench")
        logger.logLevel = .error
        print("palisade-bench sched: \(nodes) hollow nodes, \(pods) pods of 100m CPU / 128Mi, \(connections) connections creating")
        let api = APIClient(client)
        for namespace in ["bench-baseline", "bench-sched", "bench-deploy"] {
            try await api.create("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        }
        let started = ContinuousClock.now
        try await HollowNodes(client: client, count: nodes, prefix: "sched-", cpu: "32", memory: "256Gi", pods: 110, logger: logger).register()
        print(String(format: "  registered %d nodes in %.1f s", nodes, (ContinuousClock.now - started).seconds))

        let baseline = try await createPods(api, namespace: "bench-baseline", schedulerName: "none")
        let baselineRate = Double(pods) / baseline.seconds
        print(String(format: "  baseline: %d pods created, unscheduled, in %.2f s: %.0f pods/s", pods, baseline.seconds, baselineRate))

        let bound = BoundPods(namespace: "bench-sched", client: api, logger: logger)
        let watcher = Task { await bound.informer.run() }
        await bound.informer.waitForSync()
        let begin = ContinuousClock.now
        _ = try await createPods(api, namespace: "bench-sched", schedulerName: nil)
        let created = ContinuousClock.now - begin
        try await bound.wait(for: pods, timeout: .seconds(600))
        let elapsed = ContinuousClock.now - begin
        watcher.cancel()
        let rate = Double(pods) / elapsed.seconds
        print(String(format: "  scheduled: %d pods created in %.2f s, all bound after %.2f s: %.0f pods/s (ratio to baseline %.2f)",
                     pods, created.seconds, elapsed.seconds, rate, rate / baselineRate))
        if replicas > 0 { try await deploymentToRunning(client, api, logger: logger) }
    }

    /// Creates the pods over `connections` workers; returns how long it took.
    private func createPods(_ api: APIClient, namespace: String, schedulerName: String?) async throws -> Duration {
        let begin = ContinuousClock.now
        let total = pods
        let workers = connections
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in stride(from: worker, to: total, by: workers) {
                        try await api.create("/api/v1/namespaces/\(namespace)/pods", Self.pod("p-\(index)", schedulerName: schedulerName))
                    }
                }
            }
            try await group.waitForAll()
        }
        return ContinuousClock.now - begin
    }

    private func deploymentToRunning(_ client: PalisadeClient, _ api: APIClient, logger: Logger) async throws {
        // Their own nodes, which report the pods (the scheduling run's nodes only exist).
        let hollow = HollowNodes(
            client: client, count: replicaNodes, prefix: "deploy-", cpu: "32", memory: "256Gi", labels: { _ in [Self.replicaNodeLabel: "true"] },
            logger: logger
        )
        try await hollow.register()
        let reporter = Task { await hollow.run() }
        defer { reporter.cancel() }
        var spec = Self.pod("unused", schedulerName: nil)["spec"] ?? .emptyObject
        spec["nodeSelector"] = [Self.replicaNodeLabel: "true"]
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "bench"],
            "spec": [
                "replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": "bench"]],
                "template": ["metadata": ["labels": ["app": "bench"]], "spec": spec],
            ],
        ]
        let begin = ContinuousClock.now
        try await api.create("/apis/apps/v1/namespaces/bench-deploy/deployments", deployment)
        let deadline = ContinuousClock.now + .seconds(600)
        while try await api.get("/apis/apps/v1/namespaces/bench-deploy/deployments/bench")?[path: ["status", "availableReplicas"]]?.intValue != Int64(replicas) {
            guard ContinuousClock.now < deadline else { throw ValidationError("the Deployment did not become available within 600 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let elapsed = ContinuousClock.now - begin
        print(String(format: "  Deployment of %d replicas on %d hollow nodes: all Running and available after %.2f s (%.0f pods/s)",
                     replicas, replicaNodes, elapsed.seconds, Double(replicas) / elapsed.seconds))
    }

    static let replicaNodeLabel = "palisade.dev/bench-deployment"

    static func pod(_ name: String, schedulerName: String?) -> JSONValue {
        var spec: JSONValue = [
            "containers": [["name": "app", "image": "busybox", "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]]]],
        ]
        if let schedulerName { spec["schedulerName"] = .string(schedulerName) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
    }
}

/// Counts the pods of a namespace that have a node.
final class BoundPods: Sendable {
    let informer: Informer

    init(namespace: String, client: APIClient, logger: Logger) {
        informer = Informer(path: "/api/v1/namespaces/\(namespace)/pods", client: client, logger: logger)
    }

    func wait(for count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if informer.objects().filter({ !($0[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty }).count >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ValidationError("timed out waiting for \(count) pods to be bound")
    }
}
