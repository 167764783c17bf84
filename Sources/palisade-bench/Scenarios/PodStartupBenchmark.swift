import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeControllers

/// `palisade-bench pod-startup`: busybox pods created one after another through the API of a
/// running cluster with a real node agent, each timed from the create request to the pod
/// reported Running (scheduled, sandbox, root file system, container started, status
/// written back). The baseline, from the same watch, is the time to the pod being bound
/// to the node: the ratio shows what the node adds to the control plane's part.
struct PodStartupBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pod-startup", abstract: "Pods: create to Running through the API, with a real agent.")

    @Option(help: "Kubeconfig of an administrator of the cluster.")
    var kubeconfig: String

    @Option(help: "Pods created, one after another.")
    var pods = 50

    @Option(help: "The image (imported on the node).")
    var image = "busybox"

    func run() async throws {
        let client = try PalisadeClient(kubeconfigPath: kubeconfig)
        defer { Task { try? await client.shutdown() } }
        let api = APIClient(client)
        let namespace = "bench-pod-startup"
        try await api.create("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        print("palisade-bench pod-startup: \(pods) pods of \(image) (sleep), created one at a time")
        var bound: [Duration] = []
        var running: [Duration] = []
        for index in 0..<pods {
            let name = "startup-\(index)"
            let times = try await startPod(name, namespace: namespace, client: client, api: api)
            bound.append(times.bound)
            running.append(times.running)
            try await api.delete("/api/v1/namespaces/\(namespace)/pods/\(name)", options: ["gracePeriodSeconds": 0])
        }
        try await api.delete("/api/v1/namespaces/\(namespace)")
        let baseline = Measurement(name: "bound", latencies: bound, elapsed: bound.reduce(.zero, +))
        let figures = Measurement(name: "running", latencies: running, elapsed: running.reduce(.zero, +))
        print("  " + RuntimeBenchmark.line(baseline))
        print("  " + RuntimeBenchmark.line(figures))
        print(String(format: "  ratio = running/bound: p50 %.2f   p99 %.2f", figures.percentile(0.5).seconds / baseline.percentile(0.5).seconds,
                     figures.percentile(0.99).seconds / baseline.percentile(0.99).seconds))
    }

    /// Creates one pod and follows it: the times to bound and to Running.
    private func startPod(_ name: String, namespace: String, client: PalisadeClient, api: APIClient) async throws -> (bound: Duration, running: Duration) {
        let events = try await client.watch("/api/v1/namespaces/\(namespace)/pods?watch=true&fieldSelector=metadata.name%3D\(name)")
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
            "spec": [
                "terminationGracePeriodSeconds": 0,
                "containers": [["name": "c", "image": .string(image), "command": ["sleep", "3600"]]],
            ],
        ]
        let start = ContinuousClock.now
        try await api.create("/api/v1/namespaces/\(namespace)/pods", pod)
        var bound: Duration?
        for try await event in events {
            let object = event["object"] ?? .null
            if bound == nil, !(object[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty { bound = ContinuousClock.now - start }
            if object[path: ["status", "phase"]]?.stringValue == "Running" {
                let running = ContinuousClock.now - start
                return (bound ?? running, running)
            }
        }
        throw RuntimeBenchError("the watch of pod \(name) ended before it ran")
    }
}
