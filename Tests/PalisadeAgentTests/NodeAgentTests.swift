import Foundation
import Logging
import PalisadeAPI
import PalisadeAgent
import PalisadeAuth
import PalisadeClient
import PalisadeControllers
import PalisadeRuntime
import PalisadeTesting
import ServiceLifecycle
import Testing

/// The agent end to end against a real cluster, as root: it joins with a bootstrap token,
/// registers a Ready Node, runs a busybox pod bound to it, and serves its log through the
/// API server's `pods/log`; a default pod is confined, and a pod it cannot run is reported.
@Suite(.serialized) struct NodeAgentTests {
    static let node = "agent-test"

    /// An image store holding busybox, built with the repository's fixture script (which
    /// needs busybox-static and umoci); nil when this machine cannot build it.
    static func busyboxStore(in directory: String) throws -> String? {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../e2e/fixtures/busybox-image.sh").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "\(directory)/layout"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let store = "\(directory)/images"
        _ = try ImageStore(root: store).importImages(from: "\(directory)/layout")
        return store
    }

    /// Runs an agent for `node` while `body` runs, then shuts it down gracefully.
    static func withAgent(_ cluster: TestCluster, _ body: @Sendable (APIClient) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-agent-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard let store = try busyboxStore(in: directory) else {
            print("skipped: busybox-static and umoci are needed to build the busybox image")
            return
        }
        let token = try await cluster.createBootstrapToken()
        let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../policies/seccomp").standardized.path
        var configuration = AgentConfiguration(
            nodeName: node, server: cluster.server, bootstrapServer: try cluster.bootstrapServer,
            clusterCAPEM: try cluster.pki.authority.certificatePEM, token: token.text, dataDirectory: "\(directory)/agent",
            imageStore: store, seccompDirectory: policies, nodeAddress: "127.0.0.1", endpointPort: 0
        )
        configuration.heartbeat = .seconds(1)
        var logger = Logger(label: "agent-test")
        logger.logLevel = .error
        let agent = NodeAgent(configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [agent], logger: logger))
        let running = Task { try await group.run() }
        let api = APIClient(cluster.admin)
        do {
            try await waitFor("node \(node) Ready") {
                let node = try await api.get("/api/v1/nodes/\(node)")
                return (node?[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
                    $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
                }
            }
            try await body(api)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func waitFor(_ what: String, seconds: Int = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestTimeout(what: what)
    }

    /// A pod bound to the test node (no scheduler runs here).
    static func pod(_ name: String, command: [String], securityContext: JSONValue? = nil) -> JSONValue {
        var container: JSONValue = ["name": "c", "image": "busybox", "command": .array(command.map(JSONValue.string))]
        if let securityContext { container["securityContext"] = securityContext }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
            "spec": ["nodeName": .string(node), "restartPolicy": "Never", "terminationGracePeriodSeconds": 1, "containers": [container]],
        ]
    }

    static func phase(_ api: APIClient, _ name: String) async throws -> String? {
        try await api.get("/api/v1/namespaces/default/pods/\(name)")?[path: ["status", "phase"]]?.stringValue
    }

    @Test(.enabled(if: getuid() == 0, "the agent needs root"))
    func aPodRunsAndItsLogComesThroughTheAPI() async throws {
        try await TestCluster.with(bootstrapListener: true) { cluster in
            try await Self.withAgent(cluster) { api in
                let node = try #require(try await api.get("/api/v1/nodes/\(Self.node)"))
                #expect(node[path: ["metadata", "annotations", .init(NodeAnnotations.servingAuthority)]]?.stringValue?.contains("BEGIN CERTIFICATE") == true)
                try await Self.waitFor("the node's Lease") {
                    try await api.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/\(Self.node)") != nil
                }

                try await api.create("/api/v1/namespaces/default/pods", Self.pod("hello", command: ["echo", "hello"]))
                try await Self.waitFor("pod hello Succeeded") { try await Self.phase(api, "hello") == "Succeeded" }
                let log = try await cluster.admin.request("GET", "/api/v1/namespaces/default/pods/hello/log", json: nil)
                #expect(log.status == 200)
                #expect(String(decoding: log.body, as: UTF8.self) == "hello\n")
                let status = try #require(try await api.get("/api/v1/namespaces/default/pods/hello"))
                let container = status[path: ["status", "containerStatuses"]]?.arrayValue?.first
                #expect(container?[path: ["state", "terminated", "reason"]]?.stringValue == "Completed")

                try await api.delete("/api/v1/namespaces/default/pods/hello")
                try await Self.waitFor("pod hello deleted") { try await api.get("/api/v1/namespaces/default/pods/hello") == nil }
            }
        }
    }

    @Test(.enabled(if: getuid() == 0, "the agent needs root"))
    func aDefaultPodIsConfinedAndAnImpossibleOneIsReported() async throws {
        try await TestCluster.with(bootstrapListener: true) { cluster in
            try await Self.withAgent(cluster) { api in
                try await api.create("/api/v1/namespaces/default/pods", Self.pod("confined", command: ["sh", "-c", "unshare -U true; mount -t tmpfs x /mnt"]))
                try await api.create(
                    "/api/v1/namespaces/default/pods", Self.pod("nonroot", command: ["true"], securityContext: ["runAsNonRoot": true])
                )
                try await Self.waitFor("pod confined Failed") { try await Self.phase(api, "confined") == "Failed" }
                let log = String(decoding: try await cluster.admin.request("GET", "/api/v1/namespaces/default/pods/confined/log", json: nil).body, as: UTF8.self)
                #expect(log.contains("unshare: unshare(0x10000000): Operation not permitted"))
                #expect(log.contains("mount: permission denied"))

                try await Self.waitFor("pod nonroot refused") {
                    let pod = try await api.get("/api/v1/namespaces/default/pods/nonroot")
                    let state = pod?[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "waiting"]]
                    return state?["reason"]?.stringValue == "CreateContainerConfigError"
                        && state?["message"]?.stringValue?.contains("runAsNonRoot") == true
                }
            }
        }
    }
}

struct TestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
