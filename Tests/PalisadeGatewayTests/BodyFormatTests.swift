import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// Request bodies the way real clients send them: YAML, no Content-Type (the Python client),
/// protobuf (kubectl's typed clients), and the three `fieldValidation` modes.
@Suite struct BodyFormatTests {
    /// Bodies captured from kubectl 1.32.4 (kubectl-contract §9).
    static let namespaceTeamA = [UInt8](hex: "6b3873000a0f0a02763112094e616d657370616365121e0a160a067465616d2d6112001a0022002a0032003800420012001a020a001a002200")
    static let secretDB = [UInt8](hex: "6b3873000a0c0a027631120653656372657412390a180a02646212001a067465616d2d6122002a00320038004200120c0a0270771206733363723374120d0a0475736572120561646d696e1a001a002200")
    static let roleBytes = [UInt8](hex: "6b3873000a240a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311204526f6c65123e0a200a0a706f642d72656164657212001a067465616d2d6122002a00320038004200121a0a036765740a046c6973740a05776174636812001a04706f64731a002200")

    @Test func acceptsAYAMLBody() async throws {
        try await TestCluster.with { cluster in
            let yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: from-yaml
                  labels:
                    app: web
                data:
                  greeting: hello
                  count: "3"
                """
            let response = try await cluster.admin.request("POST", Paths.configMaps(), body: Array(yaml.utf8), contentType: MediaType.yaml)
            #expect(response.status == 201, "\(response.text)")
            let stored = try await cluster.admin.get(Paths.configMap("from-yaml"))
            #expect(stored[path: ["data", "greeting"]]?.stringValue == "hello")
            #expect(stored[path: ["data", "count"]]?.stringValue == "3")
            #expect(stored.labels == ["app": "web"])
        }
    }

    @Test func aBodyWithoutContentTypeIsJSON() async throws {
        try await TestCluster.with { cluster in
            let body = JSONSerializer.bytes(Manifests.configMap("untyped"))
            let response = try await cluster.admin.request("POST", Paths.configMaps(), body: body, contentType: nil)
            #expect(response.status == 201, "\(response.text)")
            #expect(response.header("Content-Type").first?.hasPrefix("application/json") == true)
            #expect(try await cluster.admin.get(Paths.configMap("untyped"))[path: ["data", "key"]]?.stringValue == "value")

            var replacement = try #require(response.json)
            replacement[path: ["data", "key"]] = "changed"
            let put = try await cluster.admin.request("PUT", Paths.configMap("untyped"), body: JSONSerializer.bytes(replacement), contentType: nil)
            #expect(put.status == 200, "\(put.text)")
            #expect(put.json?[path: ["data", "key"]]?.stringValue == "changed")
        }
    }

    @Test func decodesKubectlsProtobufNamespaceSecretAndRole() async throws {
        try await TestCluster.with { cluster in
            let namespace = try #require(
                try await cluster.admin.request("POST", Paths.namespaces, body: Self.namespaceTeamA, contentType: MediaType.protobuf).json
            )
            #expect(namespace.name == "team-a", "\(namespace)")
            #expect(try await cluster.admin.get(Paths.namespace("team-a"))[path: ["status", "phase"]]?.stringValue == "Active")

            let secret = try await cluster.admin.request("POST", "/api/v1/namespaces/team-a/secrets", body: Self.secretDB, contentType: MediaType.protobuf)
            #expect(secret.status == 201, "\(secret.text)")
            let stored = try await cluster.admin.get("/api/v1/namespaces/team-a/secrets/db")
            #expect(stored[path: ["data", "pw"]]?.stringValue == "czNjcjN0")
            #expect(stored[path: ["data", "user"]]?.stringValue == "YWRtaW4=")
            #expect(stored["type"]?.stringValue == "Opaque")

            let role = try await cluster.admin.request(
                "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles", body: Self.roleBytes, contentType: MediaType.protobuf
            )
            #expect(role.status == 201, "\(role.text)")
            let rule = try #require(role.json?["rules"]?.arrayValue?.first)
            #expect(rule["verbs"] == ["get", "list", "watch"])
            #expect(rule["apiGroups"] == [""])
            #expect(rule["resources"] == ["pods"])
        }
    }

    @Test func answersJSONToAClientThatPrefersProtobuf() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request(
                "POST", Paths.namespaces, body: Self.namespaceTeamA, contentType: MediaType.protobuf,
                headers: [("Accept", "application/vnd.kubernetes.protobuf,application/json")]
            )
            #expect(response.status == 201, "\(response.text)")
            #expect(response.header("Content-Type").first?.hasPrefix("application/json") == true)
            #expect(response.json?.name == "team-a")
        }
    }

    /// `fieldValidation` modes that accept a body with an unknown field (Strict refuses it,
    /// see ``CreateRejectionTests``). The field is never stored.
    @Test(arguments: [("Warn", true), ("Ignore", false), ("", true)])
    func unknownFieldsAreDroppedAndWarnedAbout(mode: String, warns: Bool) async throws {
        try await TestCluster.with { cluster in
            var deployment = Manifests.deployment("web")
            deployment[path: ["spec", "foo"]] = "bar"
            let query = mode.isEmpty ? "" : "?fieldValidation=\(mode)"
            let response = try await cluster.admin.request("POST", Paths.deployments() + query, json: deployment)
            #expect(response.status == 201, "\(response.text)")
            let warnings = response.header("Warning")
            if warns {
                #expect(warnings.count == 1, "\(warnings)")
                #expect(warnings.first?.hasPrefix("299 - \"") == true)
                #expect(warnings.first?.contains(#"unknown field \"spec.foo\""#) == true, "\(warnings)")
            } else {
                #expect(warnings.isEmpty, "\(warnings)")
            }
            #expect(response.json?[path: ["spec", "foo"]] == nil)
            let stored = try await cluster.admin.get(Paths.deployment("web"))
            #expect(stored[path: ["spec", "foo"]] == nil)
            #expect(stored[path: ["spec", "replicas"]]?.intValue == 1)
        }
    }

    @Test func strictValidationAlsoGuardsUpdatesAndPatches() async throws {
        try await TestCluster.with { cluster in
            var deployment = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            deployment[path: ["spec", "foo"]] = "bar"
            try await cluster.expectNoWrites {
                let put = try await cluster.admin.request("PUT", Paths.deployment("web") + "?fieldValidation=Strict", json: deployment)
                #expect(try put.expectFailure(400, "BadRequest").message.contains("unknown field \"spec.foo\""))
                let patch = try await cluster.admin.request(
                    "PATCH", Paths.deployment("web") + "?fieldValidation=Strict", json: ["spec": ["foo": "bar"]], contentType: MediaType.mergePatch
                )
                #expect(try patch.expectFailure(400, "BadRequest").message.contains("unknown field \"spec.foo\""))
            }
        }
    }
}
