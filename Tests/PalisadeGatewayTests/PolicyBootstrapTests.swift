import Foundation
import PalisadeAPI
import PalisadeGateway
import PalisadeTesting
import Testing

/// Default objects from `policies/`: created when missing, completed when edited, left alone when the operator says so.
@Suite struct PolicyBootstrapTests {
    static let defaults = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: reader
          annotations:
            rbac.authorization.kubernetes.io/autoupdate: "true"
        rules:
        - apiGroups: [""]
          resources: ["pods"]
          verbs: ["get", "list"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: readers
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
        subjects:
        - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: readers}
        """

    private func withPolicies(_ text: String, _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-policies-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try text.write(toFile: directory + "/defaults.yaml", atomically: true, encoding: .utf8)
        try await body(directory)
    }

    @Test func missingObjectsAreCreatedAndEditsKeepTheDefaults() async throws {
        try await withPolicies(Self.defaults) { directory in
            try await TestCluster.with { cluster in
                let bootstrap = try PolicyBootstrap(directory: directory)
                #expect(bootstrap.entries.count == 2)
                try await bootstrap.reconcile(with: cluster.registry)
                let path = "/apis/rbac.authorization.k8s.io/v1/clusterroles/reader"
                // An operator adds a rule and removes the default one.
                try await cluster.admin.patch(path, ["rules": [["apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]]]], contentType: MediaType.mergePatch)
                try await bootstrap.reconcile(with: cluster.registry)
                let role = try await cluster.admin.get(path)
                let resources = (role["rules"]?.arrayValue ?? []).compactMap { $0["resources"]?.arrayValue?.first?.stringValue }
                #expect(resources == ["secrets", "pods"])
                let binding = try await cluster.admin.get("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/readers")
                #expect(binding[path: ["roleRef", "name"]]?.stringValue == "reader")
            }
        }
    }

    @Test func anObjectMarkedNotToAutoupdateKeepsTheOperatorsVersion() async throws {
        try await withPolicies(Self.defaults) { directory in
            try await TestCluster.with { cluster in
                let bootstrap = try PolicyBootstrap(directory: directory)
                try await bootstrap.reconcile(with: cluster.registry)
                let path = "/apis/rbac.authorization.k8s.io/v1/clusterroles/reader"
                try await cluster.admin.patch(path, [
                    "metadata": ["annotations": ["rbac.authorization.kubernetes.io/autoupdate": "false"]],
                    "rules": [["apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]]],
                ], contentType: MediaType.mergePatch)
                try await bootstrap.reconcile(with: cluster.registry)
                let role = try await cluster.admin.get(path)
                #expect(role["rules"]?.arrayValue?.count == 1)
            }
        }
    }

    @Test func aBrokenFileIsReportedWithItsPlace() async throws {
        try await withPolicies(Self.defaults + "\n---\napiVersion: v1\nkind: Widget\nmetadata: {name: w}\n") { directory in
            try await TestCluster.with { cluster in
                let bootstrap = try PolicyBootstrap(directory: directory)
                await #expect {
                    try await bootstrap.reconcile(with: cluster.registry)
                } throws: { error in
                    "\(error)".contains("defaults.yaml, document 3") && "\(error)".contains("Widget")
                }
            }
        }
    }
}
