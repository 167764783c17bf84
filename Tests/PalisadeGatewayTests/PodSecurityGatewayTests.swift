import Foundation
import PalisadeAPI
import PalisadeAdmission
import PalisadeClient
import PalisadeTesting
import Testing

/// Pod Security admission through the API: namespace labels decide, enforce refuses with
/// Kubernetes' message, warn and workload checks arrive as `Warning` headers, bad labels are
/// refused on the namespace, and tightening a namespace warns about the pods already in it.
@Suite struct PodSecurityGatewayTests {
    static func namespace(_ name: String, labels: [String: String]) -> JSONValue {
        var namespace = Manifests.namespace(name)
        namespace[path: ["metadata", "labels"]] = .strings(labels)
        return namespace
    }

    static func privilegedPod(_ name: String) -> JSONValue {
        var pod = Manifests.pod(name)
        pod[path: ["spec", "containers"]] = [["name": "app", "image": "nginx:1.27", "securityContext": ["privileged": true]]]
        return pod
    }

    @Test func enforceRefusesAndNothingIsStored() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Self.namespace("team", labels: ["pod-security.kubernetes.io/enforce": "baseline"]))
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("POST", Paths.pods(in: "team"), json: Self.privilegedPod("root"))
                    .expectFailure(403, "Forbidden")
                #expect(status["message"]?.stringValue == #"pods "root" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)"#)
            }
            // The same pod is fine where nothing is enforced.
            try await cluster.admin.create(Paths.pods(in: "default"), Self.privilegedPod("root"))
        }
    }

    @Test func warnComesBackAsAWarningHeader() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Self.namespace("team", labels: ["pod-security.kubernetes.io/warn": "restricted"]))
            let response = try await cluster.admin.request("POST", Paths.pods(in: "team") + "?dryRun=All", json: Manifests.pod("web"))
            #expect(response.status == 201)
            #expect(response.header("Warning").contains { $0.contains(#"would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"#) })
            let deployment = try await cluster.admin.request("POST", Paths.deployments(in: "team"), json: Manifests.deployment("web"))
            #expect(deployment.status == 201)
            #expect(deployment.header("Warning").contains { $0.contains("would violate PodSecurity") })
        }
    }

    @Test func clusterDefaultsAndExemptionsComeFromTheConfiguration() async throws {
        let configuration = PodSecurityConfiguration(
            defaults: .init(enforce: .init(.baseline), audit: .init(.privileged), warn: .init(.privileged)),
            exemptions: .init(usernames: ["ci-bot"], namespaces: ["kube-system"])
        )
        try await TestCluster.with(podSecurity: configuration) { cluster in
            try await cluster.admin.request("POST", Paths.pods(), json: Self.privilegedPod("a")).expectFailure(403, "Forbidden")
            try await cluster.admin.create(Paths.pods(in: "kube-system"), Self.privilegedPod("a"))
            try await cluster.admin.create(
                "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                [
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "ci-bot"],
                    "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"],
                    "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "ci-bot"]],
                ]
            )
            _ = try await cluster.withClient(user: "ci-bot") { bot in
                try await bot.create(Paths.pods(), Self.privilegedPod("b"))
            }
        }
    }

    @Test func unusableLabelsAreRefusedOnTheNamespace() async throws {
        try await TestCluster.with { cluster in
            let status = try await cluster.admin.request(
                "POST", Paths.namespaces,
                json: Self.namespace("team", labels: ["pod-security.kubernetes.io/enforce": "strict", "pod-security.kubernetes.io/warn-version": "1.25"])
            ).expectFailure(422, "Invalid")
            let fields = status[path: ["details", "causes"]]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(Set(fields) == ["metadata.labels[pod-security.kubernetes.io/enforce]", "metadata.labels[pod-security.kubernetes.io/warn-version]"])
            #expect(status["message"]?.stringValue?.contains(#"Invalid value: "strict": must be one of privileged, baseline, restricted"#) == true)
        }
    }

    @Test func tighteningANamespaceWarnsAboutItsPodsAndKeepsThemManageable() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Self.namespace("team", labels: [:]))
            try await cluster.admin.create(Paths.pods(in: "team"), Self.privilegedPod("root"))
            try await cluster.admin.create(Paths.pods(in: "team"), Manifests.pod("plain"))
            let response = try await cluster.admin.request(
                "PATCH", Paths.namespace("team"), json: ["metadata": ["labels": ["pod-security.kubernetes.io/enforce": "baseline"]]],
                contentType: MediaType.mergePatch
            )
            #expect(response.status == 200)
            #expect(response.header("Warning").contains { $0.contains(#"existing pods in namespace \"team\" violate the new PodSecurity enforce level \"baseline:latest\""#) })
            #expect(response.header("Warning").contains { $0.contains("root: privileged") })
            // Labels of a violating pod can still change; its image cannot.
            try await cluster.admin.patch(Paths.pod("root", in: "team"), ["metadata": ["labels": ["tier": "db"]]], contentType: MediaType.mergePatch)
            try await cluster.admin.request(
                "PATCH", Paths.pod("root", in: "team"),
                json: ["spec": ["containers": [["name": "app", "image": "nginx:1.28"]]]], contentType: MediaType.strategicMergePatch
            ).expectFailure(403, "Forbidden")
        }
    }
}
