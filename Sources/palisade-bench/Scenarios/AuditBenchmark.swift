import ArgumentParser
import Foundation
import Logging
import PalisadeAPI
import PalisadeAudit
import PalisadeClient
import ServiceLifecycle

/// `palisade-bench audit`: the events per second the audit writer sustains (in-process, every
/// event flushed to disk with group commit, as a mutating request's event is), then the
/// ConfigMap create rate of a server on the default audit policy beside one whose policy
/// records nothing, measured alternately in the same run.
struct AuditBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Audit log: writer throughput and its cost on creates.")

    @Option(help: "Kubeconfig of the server on the default audit policy.")
    var kubeconfig: String

    @Option(help: "Kubeconfig of the same server build with a policy that records nothing (level None).")
    var unauditedKubeconfig: String

    @Option(help: "Concurrent writers for the writer rate.")
    var writers = 64

    @Option(help: "Concurrent keep-alive connections (and workers) for the create rate.")
    var connections = 16

    @Option(help: "Seconds each measurement runs.")
    var seconds = 8

    func run() async throws {
        print("palisade-bench audit: writer rate with \(writers) concurrent writers, then ConfigMap creates over \(connections) connections")
        for durable in [true, false] {
            print("  " + (try await writerRate(durable: durable)).summary + (durable ? "   (fdatasync per batch)" : "   (no fsync)"))
        }
        let audited = try PalisadeClient(kubeconfigPath: kubeconfig, connections: connections)
        let unaudited = try PalisadeClient(kubeconfigPath: unauditedKubeconfig, connections: connections)
        defer { Task { try? await audited.shutdown(); try? await unaudited.shutdown() } }
        let rates = try await Measurement.alternating([("unaudited", unaudited), ("audited", audited)]) { client, label in
            try await createConfigMaps(client, label: label)
        }
        let plain = rates["unaudited"]!
        let recorded = rates["audited"]!
        print(String(format: "ConfigMap creates: unaudited %.0f/s, audited %.0f/s, ratio %.3f (auditing costs %.1f %%)", plain, recorded, recorded / plain, (1 - recorded / plain) * 100))
    }

    /// Events per second through a real log in a scratch directory.
    private func writerRate(durable: Bool) async throws -> Measurement {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-bench-audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "palisade-bench")
        logger.logLevel = .error
        let log = try AuditLog(
            configuration: AuditLogConfiguration(path: directory + "/audit.log"), keys: try AuditKeys.loadOrCreate(directory: directory), logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [.init(service: log)], logger: logger))
        let event = Self.typicalEvent()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let measurement = try await Measurement.run(durable ? "durable" : "buffered", workers: writers, duration: .seconds(seconds)) { _, _ in
                try await log.record(event, durable: durable)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return measurement
        }
    }

    /// A Metadata-level create as the default policy writes it.
    static func typicalEvent() -> AuditEvent {
        var event = AuditEvent(
            level: .metadata, auditID: UUID().uuidString.lowercased(), stage: .responseComplete,
            requestURI: "/api/v1/namespaces/team-a/configmaps?fieldManager=kubectl-create&fieldValidation=Strict", verb: "create",
            user: .init(username: "alice", groups: ["dev", "system:authenticated"]), sourceIPs: ["127.0.0.1"], requestReceivedTimestamp: Date()
        )
        event.userAgent = "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07"
        event.objectRef = .init(resource: "configmaps", namespace: "team-a", name: "settings", apiGroup: "", apiVersion: "v1", subresource: "")
        event.responseStatus = ["metadata": .emptyObject, "code": 201]
        event.annotations = ["authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": "RBAC: allowed by RoleBinding \"dev-edit/team-a\" of ClusterRole \"edit\" to User \"alice\""]
        return event
    }

    private func createConfigMaps(_ client: PalisadeClient, label: String) async throws -> Measurement {
        let namespace = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await client.request("POST", "/api/v1/namespaces", json: ["metadata": ["name": .string(namespace)]])
        return try await Measurement.run(label, workers: connections, duration: .seconds(seconds)) { worker, iteration in
            let body: JSONValue = ["metadata": ["name": .string("c-\(worker)-\(iteration)")], "data": ["mode": "fast"]]
            let response = try await client.request("POST", "/api/v1/namespaces/\(namespace)/configmaps", json: body)
            guard response.status == 201 else { throw ClientError(status: response.status, body: response.body) }
        }
    }
}
