import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// RBAC at the gateway: a role and binding written through the API govern the very next request.
@Suite struct RBACGatewayTests {
    static let rbac = "/apis/rbac.authorization.k8s.io/v1"

    static let reader: JSONValue = [
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "cm-reader"],
        "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]]],
    ]

    static func binding(to user: String) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "alice-reads"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "cm-reader"],
            "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": .string(user)]],
        ]
    }

    @Test func aBindingAppliesToTheNextRequestAndItsRemovalToo() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("other"))
            try await cluster.withClient(user: "alice") { alice async throws in
                #expect(try await alice.request("GET", Paths.configMaps(), json: nil).status == 403)
                try await cluster.admin.create("\(Self.rbac)/namespaces/default/roles", Self.reader)
                try await cluster.admin.create("\(Self.rbac)/namespaces/default/rolebindings", Self.binding(to: "alice"))
                // No wait: the write has returned, so the next request sees it.
                #expect(try await alice.request("GET", Paths.configMaps(), json: nil).status == 200)
                #expect(try await alice.request("GET", Paths.configMaps(in: "other"), json: nil).status == 403)
                #expect(try await alice.request("POST", Paths.configMaps(), json: Manifests.configMap("x")).status == 403)
                try await cluster.admin.send("DELETE", "\(Self.rbac)/namespaces/default/rolebindings/alice-reads", expect: 200)
                #expect(try await alice.request("GET", Paths.configMaps(), json: nil).status == 403)
            }
        }
    }

    @Test func aGroupBindingToADefaultClusterRoleGrantsIt() async throws {
        try await TestCluster.with { cluster in
            let binding: JSONValue = [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "devs-view"],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"],
                "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"]],
            ]
            try await cluster.admin.create("\(Self.rbac)/clusterrolebindings", binding)
            try await cluster.withClient(user: "bob", groups: ["devs"]) { bob async throws in
                // view aggregates system:aggregate-to-view: pods yes, secrets no, writes no.
                #expect(try await bob.request("GET", Paths.pods(), json: nil).status == 200)
                #expect(try await bob.request("GET", "/api/v1/namespaces/default/secrets", json: nil).status == 403)
                #expect(try await bob.request("POST", Paths.configMaps(), json: Manifests.configMap("y")).status == 403)
            }
        }
    }
}

/// Escalation prevention: writing RBAC objects needs the permissions they grant, or `escalate`/`bind`.
@Suite struct EscalationTests {
    static let rbac = RBACGatewayTests.rbac

    /// alice may manage roles and bindings in `default` (and read configmaps), nothing more.
    private func grantRBACEditing(_ cluster: TestCluster, extraVerbs: [String] = []) async throws {
        let role: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "rbac-editor"],
            "rules": [
                ["apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "rolebindings", "clusterroles"],
                 "verbs": .array((["create", "get", "update", "patch"] + extraVerbs).map(JSONValue.string))],
                ["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]],
            ],
        ]
        try await cluster.admin.create("\(Self.rbac)/namespaces/default/roles", role)
        var binding = RBACGatewayTests.binding(to: "alice")
        binding[path: ["metadata", "name"]] = "alice-edits-rbac"
        binding[path: ["roleRef", "name"]] = "rbac-editor"
        try await cluster.admin.create("\(Self.rbac)/namespaces/default/rolebindings", binding)
    }

    private func role(_ name: String, resources: [String], verbs: [String]) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": .string(name)],
            "rules": [["apiGroups": [""], "resources": .array(resources.map(JSONValue.string)), "verbs": .array(verbs.map(JSONValue.string))]],
        ]
    }

    @Test func aRoleGrantingMoreThanTheAuthorHoldsIsRefused() async throws {
        try await TestCluster.with { cluster in
            try await grantRBACEditing(cluster)
            try await cluster.withClient(user: "alice") { alice async throws in
                let held = try await alice.request("POST", "\(Self.rbac)/namespaces/default/roles", json: role("ok", resources: ["configmaps"], verbs: ["get"]))
                #expect(held.status == 201, "\(held.text)")
                let more = try await alice.request("POST", "\(Self.rbac)/namespaces/default/roles", json: role("grab", resources: ["secrets"], verbs: ["get"]))
                #expect(more.status == 403)
                #expect(more.text.contains("attempting to grant RBAC permissions not currently held"))
            }
        }
    }

    @Test func escalateAllowsItAndBindGuardsBindings() async throws {
        try await TestCluster.with { cluster in
            try await grantRBACEditing(cluster, extraVerbs: ["escalate"])
            try await cluster.withClient(user: "alice") { alice async throws in
                let grab = try await alice.request("POST", "\(Self.rbac)/namespaces/default/roles", json: role("grab", resources: ["secrets"], verbs: ["get"]))
                #expect(grab.status == 201, "\(grab.text)")
                // Binding herself to it needs its permissions or `bind`: she has neither.
                var binding = RBACGatewayTests.binding(to: "alice")
                binding[path: ["metadata", "name"]] = "alice-grabs"
                binding[path: ["roleRef", "name"]] = "grab"
                let bound = try await alice.request("POST", "\(Self.rbac)/namespaces/default/rolebindings", json: binding)
                #expect(bound.status == 403, "\(bound.text)")
                #expect(try await alice.request("GET", "/api/v1/namespaces/default/secrets", json: nil).status == 403)
            }
        }
    }

    @Test func bindAllowsBindingARoleWhosePermissionsAreNotHeld() async throws {
        try await TestCluster.with { cluster in
            try await grantRBACEditing(cluster, extraVerbs: ["escalate", "bind"])
            try await cluster.withClient(user: "alice") { alice async throws in
                _ = try await alice.request("POST", "\(Self.rbac)/namespaces/default/roles", json: role("grab", resources: ["secrets"], verbs: ["list"]))
                var binding = RBACGatewayTests.binding(to: "alice")
                binding[path: ["metadata", "name"]] = "alice-grabs"
                binding[path: ["roleRef", "name"]] = "grab"
                let bound = try await alice.request("POST", "\(Self.rbac)/namespaces/default/rolebindings", json: binding)
                #expect(bound.status == 201, "\(bound.text)")
                #expect(try await alice.request("GET", "/api/v1/namespaces/default/secrets", json: nil).status == 200)
            }
        }
    }
}

extension EscalationTests {
    @Test func anAggregatingClusterRoleNeedsFullAuthority() async throws {
        try await TestCluster.with { cluster in
            let editor: JSONValue = [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "alice-edits-clusterroles"],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "alice-clusterroles"],
                "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"]],
            ]
            let role: JSONValue = [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "alice-clusterroles"],
                "rules": [["apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["create"]]],
            ]
            try await cluster.admin.create("\(Self.rbac)/clusterroles", role)
            try await cluster.admin.create("\(Self.rbac)/clusterrolebindings", editor)
            let gatherer: JSONValue = [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "gather-all"],
                "aggregationRule": ["clusterRoleSelectors": [["matchLabels": ["kubernetes.io/bootstrapping": "rbac-defaults"]]]],
                "rules": [],
            ]
            let response = try await cluster.withClient(user: "alice") { alice in
                try await alice.request("POST", "\(Self.rbac)/clusterroles", json: gatherer)
            }
            #expect(response.status == 403, "\(response.text)")
        }
    }
}

/// SubjectAccessReview and LocalSubjectAccessReview: asking about someone else.
@Suite struct SubjectAccessReviewTests {
    static let authorization = "/apis/authorization.k8s.io/v1"

    static func review(kind: String, user: String, namespace: String?, verb: String, resource: String) -> JSONValue {
        var attributes: JSONValue = ["verb": .string(verb), "resource": .string(resource)]
        if let namespace { attributes["namespace"] = .string(namespace) }
        return ["apiVersion": "authorization.k8s.io/v1", "kind": .string(kind), "spec": ["user": .string(user), "resourceAttributes": attributes]]
    }

    @Test func anAdministratorAsksAboutAnotherUser() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create("\(RBACGatewayTests.rbac)/namespaces/default/roles", RBACGatewayTests.reader)
            try await cluster.admin.create("\(RBACGatewayTests.rbac)/namespaces/default/rolebindings", RBACGatewayTests.binding(to: "alice"))
            let allowed = try await cluster.admin.send(
                "POST", "\(Self.authorization)/subjectaccessreviews",
                Self.review(kind: "SubjectAccessReview", user: "alice", namespace: "default", verb: "list", resource: "configmaps"), expect: 201
            )
            #expect(allowed[path: ["status", "allowed"]] == true)
            let local = try await cluster.admin.send(
                "POST", "\(Self.authorization)/namespaces/other/localsubjectaccessreviews",
                Self.review(kind: "LocalSubjectAccessReview", user: "alice", namespace: nil, verb: "list", resource: "configmaps"), expect: 201
            )
            #expect(local[path: ["spec", "resourceAttributes", "namespace"]]?.stringValue == "other")
            #expect(local[path: ["status", "allowed"]] == false)
            let mismatch = try await cluster.admin.request(
                "POST", "\(Self.authorization)/namespaces/other/localsubjectaccessreviews",
                json: Self.review(kind: "LocalSubjectAccessReview", user: "alice", namespace: "default", verb: "list", resource: "configmaps")
            )
            _ = try mismatch.expectFailure(400, "BadRequest")
        }
    }

    @Test func askingAboutOthersNeedsPermission() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.withClient(user: "eve") { eve in
                try await eve.request("POST", "\(Self.authorization)/subjectaccessreviews",
                    json: Self.review(kind: "SubjectAccessReview", user: "palisade-admin", namespace: nil, verb: "get", resource: "secrets"))
            }
            _ = try response.expectFailure(403, "Forbidden")
        }
    }
}

extension RBACGatewayTests {
    @Test func aggregatingClusterRolesAreFilledAndFollowTheirSources() async throws {
        try await TestCluster.with { cluster in
            let path = "\(Self.rbac)/clusterroles/view"
            #expect(try await eventually { !((try await cluster.admin.get(path))["rules"]?.arrayValue ?? []).isEmpty })
            let extra: JSONValue = [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": ["name": "widgets-view", "labels": ["rbac.authorization.k8s.io/aggregate-to-view": "true"]],
                "rules": [["apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get"]]],
            ]
            try await cluster.admin.create("\(Self.rbac)/clusterroles", extra)
            #expect(try await eventually {
                ((try await cluster.admin.get(path))["rules"]?.arrayValue ?? []).contains { $0["resources"] == ["widgets"] }
            })
        }
    }
}

extension RBACGatewayTests {
    @Test func aBindingToAMissingRoleIsStoredWithAWarningAndGrantsNothing() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("POST", "\(Self.rbac)/namespaces/default/rolebindings", json: Self.binding(to: "alice"))
            #expect(response.status == 201)
            #expect(response.header("Warning").contains { $0.contains(#"role.rbac.authorization.k8s.io \"cm-reader\" not found"#) })
            try await cluster.withClient(user: "alice") { alice async throws in
                #expect(try await alice.request("GET", Paths.configMaps(), json: nil).status == 403)
            }
        }
    }
}
