import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// Tenants at the gateway: the owner's `admin` binding stops at the guard rails, and a
/// user who may not list every namespace sees the ones they hold something in.
@Suite struct TenantGatewayTests {
    static let rbac = "/apis/rbac.authorization.k8s.io/v1"
    static let networkPolicies = "/apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies"

    /// team-a as `kauth tenant create` makes it (the parts the checks touch), owned by alice;
    /// team-b, an ordinary namespace where bob views.
    private func makeTenants(_ cluster: TestCluster) async throws {
        var namespace = Manifests.namespace("team-a")
        namespace[path: ["metadata", "labels"]] = ["palisade.dev/tenant": "team-a", "pod-security.kubernetes.io/enforce": "restricted"]
        try await cluster.admin.create(Paths.namespaces, namespace)
        try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-b"))
        try await cluster.admin.create("/api/v1/namespaces/team-a/resourcequotas", [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "tenant-quota"], "spec": ["hard": ["pods": "5"]],
        ])
        try await cluster.admin.create(Self.networkPolicies, [
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": ["name": "deny-from-other-namespaces"],
            "spec": ["podSelector": .emptyObject, "policyTypes": ["Ingress"], "ingress": [["from": [["podSelector": .emptyObject]]]]],
        ])
        try await cluster.admin.create("\(Self.rbac)/namespaces/team-a/rolebindings", binding("tenant-owner", role: "admin", user: "alice"))
        try await cluster.admin.create("\(Self.rbac)/namespaces/team-b/rolebindings", binding("bob-view", role: "view", user: "bob"))
    }

    private func binding(_ name: String, role: String, user: String) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": .string(name)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)],
            "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": .string(user)]],
        ]
    }

    @Test func theOwnerWorksInsideButCannotLoosenTheGuardRails() async throws {
        try await TestCluster.with { cluster in
            try await makeTenants(cluster)
            try await cluster.withClient(user: "alice") { alice async throws in
                #expect(try await alice.request("POST", Paths.configMaps(in: "team-a"), json: Manifests.configMap("app")).status == 201)
                #expect(try await alice.request("GET", Paths.configMaps(in: "team-b"), json: nil).status == 403)
                #expect(try await alice.request("GET", "/api/v1/nodes", json: nil).status == 403)
                // edit grants NetworkPolicy writes in the namespace; the guard rails take them back.
                let delete = try await alice.request("DELETE", "\(Self.networkPolicies)/deny-from-other-namespaces", json: nil)
                #expect(delete.status == 403)
                #expect(delete.json?["message"]?.stringValue?.contains(#"networkpolicies of tenant "team-a" may be changed only by cluster administrators"#) == true)
                let openIngress: JSONValue = [
                    "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": ["name": "allow-all"],
                    "spec": ["podSelector": .emptyObject, "ingress": [.emptyObject]],
                ]
                #expect(try await alice.request("POST", Self.networkPolicies, json: openIngress).status == 403)
                #expect(try await alice.request("DELETE", "/api/v1/namespaces/team-a/resourcequotas/tenant-quota", json: nil).status == 403)
            }
            // Even a RoleBinding inside the tenant that grants namespace writes cannot relabel it.
            try await cluster.admin.create("\(Self.rbac)/namespaces/team-a/roles", [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "relabel"],
                "rules": [["apiGroups": [""], "resources": ["namespaces"], "verbs": ["get", "patch", "update"]]],
            ])
            var relabel = binding("relabel", role: "relabel", user: "alice")
            relabel[path: ["roleRef", "kind"]] = "Role"
            try await cluster.admin.create("\(Self.rbac)/namespaces/team-a/rolebindings", relabel)
            let privileged: JSONValue = ["metadata": ["labels": ["pod-security.kubernetes.io/enforce": "privileged"]]]
            try await cluster.withClient(user: "alice") { alice async throws in
                let patch = try await alice.request("PATCH", Paths.namespace("team-a"), body: JSONSerializer.bytes(privileged), contentType: MediaType.mergePatch)
                #expect(patch.status == 403)
            }
            // A cluster administrator may.
            try await cluster.admin.patch(Paths.namespace("team-a"), privileged, contentType: MediaType.mergePatch)
            try await cluster.admin.send("DELETE", "\(Self.networkPolicies)/deny-from-other-namespaces", expect: 200)
        }
    }

    @Test func namespacesAreListedToEachUserAsFarAsTheyHoldSomething() async throws {
        try await TestCluster.with { cluster in
            try await makeTenants(cluster)
            func names(_ list: JSONValue) -> [String] { (list["items"]?.arrayValue ?? []).compactMap(\.name).sorted() }
            try await cluster.withClient(user: "alice") { alice async throws in
                #expect(names(try await alice.request("GET", Paths.namespaces, json: nil).requireJSON()) == ["team-a"])
                // The narrowing holds for label selectors and watches too.
                let selected = try await alice.request("GET", Paths.namespaces + "?labelSelector=palisade.dev/tenant", json: nil).requireJSON()
                #expect(names(selected) == ["team-a"])
                let events = try await collect(try await alice.watch(Paths.namespaces + "?watch=true&timeoutSeconds=1"))
                #expect(events.compactMap { $0["object"]?.name } == ["team-a"])
            }
            try await cluster.withClient(user: "bob") { bob async throws in
                #expect(names(try await bob.request("GET", Paths.namespaces, json: nil).requireJSON()) == ["team-b"])
            }
            // Someone who holds nothing anywhere is still refused.
            try await cluster.withClient(user: "carol") { carol async throws in
                #expect(try await carol.request("GET", Paths.namespaces, json: nil).status == 403)
            }
            let all = names(try await cluster.admin.get(Paths.namespaces))
            #expect(all.contains("team-a") && all.contains("team-b") && all.contains("kube-system"))
        }
    }
}
