import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeAuth
import PalisadeClient

/// `palisade-bench rbac`: RBAC decisions per second on one core over a large policy
/// (1,000 roles, 10,000 bindings, 500 namespaces), and, against a running server, the GET
/// rate of an RBAC-authorized user beside that of a system:masters user in the same run.
struct RBACBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rbac", abstract: "RBAC decision rate and end-to-end cost.")

    @Option(help: "Seconds each scenario runs.")
    var seconds = 5

    @Option(help: "Data directory of a running server (its admin kubeconfig and CA), for the end-to-end part.")
    var dataDir: String?

    @Option(help: "Concurrent connections for the end-to-end part.")
    var connections = 16

    func run() async throws {
        let policy = Self.largePolicy(namespaces: 500, rolesPerNamespace: 2, bindingsPerNamespace: 20)
        let decisions = Self.measureDecisions(policy, duration: .seconds(seconds))
        print("palisade-bench rbac: 1000 roles, 10000 bindings, 500 namespaces")
        print("  " + decisions.summary)
        if let dataDir { try await endToEnd(dataDir) }
    }

    /// Roles granting configmap reads; bindings to users `user-N`, a tenth of them through groups.
    static func largePolicy(namespaces: Int, rolesPerNamespace: Int, bindingsPerNamespace: Int) -> RBACPolicy {
        var objects: [JSONValue] = []
        for n in 0..<namespaces {
            let namespace = JSONValue.string("ns-\(n)")
            for r in 0..<rolesPerNamespace {
                objects.append([
                    "kind": "Role", "metadata": ["name": .string("role-\(r)"), "namespace": namespace],
                    "rules": [["apiGroups": [""], "resources": ["configmaps", "pods"], "verbs": ["get", "list", "watch"]]],
                ])
            }
            for b in 0..<bindingsPerNamespace {
                let subject: JSONValue = b % 10 == 0
                    ? ["kind": "Group", "name": .string("group-\(b)")]
                    : ["kind": "User", "name": .string("user-\(b)")]
                objects.append([
                    "kind": "RoleBinding", "metadata": ["name": .string("binding-\(b)"), "namespace": namespace],
                    "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string("role-\(b % rolesPerNamespace)")],
                    "subjects": [subject],
                ])
            }
        }
        return RBACPolicy(objects: objects)
    }

    /// Decisions on one task (one core): a mix of allowed and denied requests.
    static func measureDecisions(_ policy: RBACPolicy, duration: Duration) -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        var latencies: [Duration] = []
        latencies.reserveCapacity(1 << 20)
        var i = 0
        var allowed = 0
        while clock.now - start < duration {
            let user = UserInfo(name: "user-\(i % 20)", groups: ["group-\(i % 30)", UserInfo.authenticatedGroup])
            let attributes = AuthorizationAttributes(
                user: user, verb: i % 3 == 0 ? "delete" : "get", isResourceRequest: true,
                resource: i % 2 == 0 ? "configmaps" : "secrets", namespace: "ns-\(i % 500)", name: "x"
            )
            let began = clock.now
            if case .allow = policy.authorize(attributes) { allowed += 1 }
            latencies.append(clock.now - began)
            i += 1
        }
        precondition(allowed > 0 && allowed < i, "the mix must contain allowed and denied decisions")
        return Measurement(name: "decisions", latencies: latencies, elapsed: clock.now - start)
    }

    /// GET as system:masters (decided before RBAC) and as an RBAC-bound user, same server, same run.
    private func endToEnd(_ dataDir: String) async throws {
        let admin = try PalisadeClient(kubeconfigPath: dataDir + "/admin.kubeconfig", connections: connections)
        defer { Task { try? await admin.shutdown() } }
        let namespace = "bench-rbac-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await admin.request("POST", "/api/v1/namespaces", json: ["metadata": ["name": .string(namespace)]])
        _ = try await admin.request("POST", "/api/v1/namespaces/\(namespace)/configmaps", json: ["metadata": ["name": "cm"], "data": ["k": "v"]])
        _ = try await admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/\(namespace)/rolebindings", json: [
            "metadata": ["name": "bench-view"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"],
            "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bench-user"]],
        ])
        let pki = try ClusterPKI.loadOrCreate(directory: dataDir + "/pki", serverNames: [])
        let (certificate, key) = try pki.authority.issueClient(user: "bench-user", groups: [], validity: 3600)
        var userConfig = try Kubeconfig.parse(String(contentsOfFile: dataDir + "/admin.kubeconfig", encoding: .utf8))
        userConfig.clientCertificatePEM = certificate
        userConfig.clientKeyPEM = key
        let user = try PalisadeClient(kubeconfig: userConfig, connections: connections)
        defer { Task { try? await user.shutdown() } }
        let path = "/api/v1/namespaces/\(namespace)/configmaps/cm"
        let duration = Duration.seconds(seconds)
        let masters = try await Measurement.run("GET masters", workers: connections, duration: duration) { _, _ in
            guard try await admin.request("GET", path, body: nil).status == 200 else { throw ClientError(status: 0, body: []) }
        }
        let rbac = try await Measurement.run("GET RBAC user", workers: connections, duration: duration) { _, _ in
            guard try await user.request("GET", path, body: nil).status == 200 else { throw ClientError(status: 0, body: []) }
        }
        print("end to end, \(connections) connections:")
        print("  " + masters.summary)
        print("  " + rbac.summary)
        print(String(format: "  RBAC cost: %.1f %% fewer requests/s", (1 - rbac.operationsPerSecond / masters.operationsPerSecond) * 100))
        _ = try await admin.request("DELETE", "/api/v1/namespaces/\(namespace)", body: nil)
    }
}
