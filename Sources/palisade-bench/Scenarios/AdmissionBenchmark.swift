import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeAdmission
import PalisadeGateway
import PalisadeStore

/// `palisade-bench admission`: Pod Security evaluations per second on one core for a typical
/// three-container pod at `restricted:latest`, then what the admission chain adds to a Pod
/// create: the same registry and store with and without the chain, measured alternately.
struct AdmissionBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admission", abstract: "Pod Security evaluation rate and the admission chain's cost on creates.")

    @Option(help: "Seconds each evaluation measurement runs.")
    var seconds = 3

    @Option(help: "Pod creates per round; each registry runs two rounds, alternately.")
    var creates = 3000

    func run() async throws {
        print("palisade-bench admission: evaluations on one core, then sequential Pod creates into SQLite")
        let policy = PodSecurityLevelVersion(.restricted)
        let evaluator = PodSecurityEvaluator.standard
        for (name, pod) in [("compliant", Self.pod(compliant: true)), ("violating", Self.pod(compliant: false))] {
            guard let extracted = PodTemplateExtraction.pod(in: pod) else { throw ValidationError("no pod in the sample") }
            var violations = 0
            let evaluation = Measurement.repeating(name, duration: .seconds(seconds)) {
                violations += evaluator.evaluate(policy, pod: extracted).count
            }
            print("  " + evaluation.summary + "  (evaluate; \(violations / max(evaluation.latencies.count, 1)) violations each)")
            // As in the server: the pod view is taken from the object, then evaluated.
            let whole = Measurement.repeating("\(name)+view", duration: .seconds(seconds)) {
                violations += evaluator.evaluate(policy, object: pod).count
            }
            print("  " + whole.summary + "  (extract the pod view, then evaluate)")
        }
        try await chainCost()
    }

    /// Creates through a registry without admission and one with the admission chain, over
    /// one store, into a namespace enforcing `restricted`.
    private func chainCost() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(path: directory + "/store.db")
        defer { store.close() }
        let plain = ObjectRegistry(store: store)
        // The server's chain but for RBAC escalation prevention, which passes Pods at once.
        let chain = AdmissionChain(store: store, podSecurity: PodSecurityConfiguration(), escalation: nil)
        let guarded = ObjectRegistry(store: store, observers: [chain.reads], mutators: chain.mutators, admission: chain.checks)
        try await plain.bootstrap()
        let namespaces = ServedResources.lookup(group: "", version: "v1", resource: "namespaces")!
        let pods = ServedResources.lookup(group: "", version: "v1", resource: "pods")!
        _ = try await guarded.create(
            namespaces, namespace: nil,
            body: ["metadata": ["name": "bench", "labels": ["pod-security.kubernetes.io/enforce": "restricted"]]], options: WriteOptions()
        )
        var means: [String: [Double]] = [:]
        var serial = 0
        for round in 1...2 {
            for (name, registry) in [("plain", plain), ("chain", guarded)] {
                let clock = ContinuousClock()
                let start = clock.now
                var latencies: [Duration] = []
                for _ in 0..<creates {
                    var body = Self.pod(compliant: true)
                    body[path: ["metadata", "name"]] = .string("pod-\(serial)")
                    serial += 1
                    let began = clock.now
                    _ = try await registry.create(pods, namespace: "bench", body: body, options: WriteOptions())
                    latencies.append(clock.now - began)
                }
                let measurement = Measurement(name: "\(name) #\(round)", latencies: latencies, elapsed: clock.now - start)
                print("  " + measurement.summary + String(format: "   mean %.3f ms", measurement.mean.milliseconds))
                means[name, default: []].append(measurement.mean.milliseconds)
            }
        }
        let without = means["plain"]!.reduce(0, +) / 2
        let with = means["chain"]!.reduce(0, +) / 2
        print(String(format: "Pod create: %.3f ms without the chain, %.3f ms with it: the chain adds %.3f ms", without, with, with - without))
    }

    /// A web pod with an app, a sidecar and an init container: the shape most pods have.
    static func pod(compliant: Bool) -> JSONValue {
        let hardened: JSONValue = ["allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]], "readOnlyRootFilesystem": true]
        let container = { (name: String, image: String) -> JSONValue in
            var container: JSONValue = [
                "name": .string(name), "image": .string(image), "ports": [["containerPort": 8080]],
                "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "256Mi"]],
                "volumeMounts": [["name": "config", "mountPath": "/etc/app"]],
            ]
            if compliant { container["securityContext"] = hardened }
            return container
        }
        var spec: JSONValue = [
            "initContainers": [container("migrate", "registry.example/migrate:1")],
            "containers": [container("app", "registry.example/app:1"), container("proxy", "registry.example/proxy:1")],
            "volumes": [["name": "config", "configMap": ["name": "app-config"]]],
        ]
        if compliant { spec["securityContext"] = ["runAsNonRoot": true, "runAsUser": 1000, "seccompProfile": ["type": "RuntimeDefault"]] }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web", "labels": ["app": "web"]], "spec": spec]
    }
}
