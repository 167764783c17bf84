import Foundation
import PalisadeAPI
import PalisadeAudit
import PalisadeAuth
import PalisadeClient
import PalisadeTesting
import Testing

/// Every request the gateway serves leaves its events in the audit log, at the level the
/// policy asks for, with what authorization and admission decided, and no secret values.
@Suite struct AuditGatewayTests {
    static let everythingInFull = AuditPolicy(rules: [.init(level: .requestResponse)])

    @Test func everyRequestLeavesItsEventWithTheDecision() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.admin.request("POST", Paths.configMaps(), json: Manifests.configMap("cfg"))
            #expect(created.status == 201)
            let denied = try await cluster.withClient(user: "eve") { try await $0.request("GET", Paths.configMap("cfg"), json: nil) }
            #expect(denied.status == 403)
            let invalid = try await cluster.admin.request("POST", Paths.configMaps(), json: ["kind": "ConfigMap", "metadata": ["name": "Not_Valid"]])
            #expect(invalid.status == 422)
            let missing = try await cluster.admin.request("GET", Paths.configMap("nothing"), json: nil)
            #expect(missing.status == 404)

            let events = try cluster.auditEvents()
            let create = try #require(events.first { $0["auditID"]?.stringValue == created.header("Audit-ID").first })
            #expect(create["stage"] == "ResponseComplete")
            #expect(create["level"] == "Metadata")
            #expect(create["verb"] == "create")
            #expect(create[path: ["user", "username"]] == .string(ClusterPKI.adminUser))
            #expect(create[path: ["objectRef", "resource"]] == "configmaps")
            #expect(create[path: ["objectRef", "namespace"]] == "default")
            #expect(create[path: ["responseStatus", "code"]] == 201)
            #expect(create[path: ["annotations", "authorization.k8s.io/decision"]] == "allow")
            #expect(create["sourceIPs"] == ["127.0.0.1"])
            #expect(create["requestObject"] == nil, "Metadata carries no bodies")

            let refusal = try #require(events.first { $0["auditID"]?.stringValue == denied.header("Audit-ID").first })
            #expect(refusal[path: ["user", "username"]] == "eve")
            #expect(refusal[path: ["objectRef", "name"]] == "cfg")
            #expect(refusal[path: ["responseStatus", "code"]] == 403)
            #expect(refusal[path: ["responseStatus", "reason"]] == "Forbidden")
            #expect(refusal[path: ["annotations", "authorization.k8s.io/decision"]] == "forbid")
            #expect(refusal[path: ["annotations", "authorization.k8s.io/reason"]]?.stringValue?.contains("cannot get resource") == true)

            let codes = events.compactMap { event in event["auditID"]?.stringValue.map { ($0, event[path: ["responseStatus", "code"]]?.intValue) } }
            #expect(codes.contains { $0.0 == invalid.header("Audit-ID").first && $0.1 == 422 })
            #expect(codes.contains { $0.0 == missing.header("Audit-ID").first && $0.1 == 404 })
            #expect(Set(events.compactMap { $0["stage"]?.stringValue }) == ["ResponseComplete"], "the default policy omits RequestReceived")
        }
    }

    @Test func aWatchRecordsResponseStartedThenResponseComplete() async throws {
        try await TestCluster.with { cluster in
            let stream = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&timeoutSeconds=1")
            _ = try await collect(stream, timeout: .seconds(5))
            let complete = try await eventually {
                try cluster.auditEvents().filter { $0["verb"] == "watch" }.count == 2
            }
            #expect(complete)
            let watch = try cluster.auditEvents().filter { $0["verb"] == "watch" }
            #expect(watch.map { $0["stage"]?.stringValue ?? "" } == ["ResponseStarted", "ResponseComplete"])
            #expect(watch[0]["auditID"] == watch[1]["auditID"])
        }
    }

    @Test func thePolicyDecidesTheLevelAndTheStages() async throws {
        let policy = try AuditPolicy.decode("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: RequestResponse
              resources: [{group: "", resources: [configmaps]}]
            - level: Request
              verbs: [create]
            - level: None
            """)
        try await TestCluster.with(auditPolicy: policy) { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("full", data: ["k": "visible"]))
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            _ = try await cluster.admin.get(Paths.deployment("web"))
            let events = try cluster.auditEvents()
            let configMap = events.filter { $0[path: ["objectRef", "resource"]] == "configmaps" }
            #expect(configMap.map { $0["stage"]?.stringValue ?? "" } == ["RequestReceived", "ResponseComplete"])
            #expect(configMap[1]["level"] == "RequestResponse")
            #expect(configMap[1][path: ["requestObject", "data", "k"]] == "visible")
            #expect(configMap[1][path: ["responseObject", "metadata", "uid"]] != nil)
            let deployment = events.filter { $0[path: ["objectRef", "resource"]] == "deployments" }
            #expect(deployment.count == 2, "the get is at level None")
            #expect(deployment.allSatisfy { $0["verb"] == "create" && $0["level"] == "Request" })
            #expect(deployment[1][path: ["requestObject", "metadata", "name"]] == "web")
            #expect(deployment[1]["responseObject"] == nil)
        }
    }

    @Test func aSecretLeavesNoValueInTheLogWhateverThePolicy() async throws {
        let value = "s3cr3t-hunter2-value"
        let encoded = Data(value.utf8).base64EncodedString()
        try await TestCluster.with(auditPolicy: Self.everythingInFull) { cluster in
            let secret: JSONValue = [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db"],
                "data": ["password": .string(encoded)], "stringData": ["token": .string(value)],
            ]
            try await cluster.admin.create("/api/v1/namespaces/default/secrets", secret)
            _ = try await cluster.admin.get("/api/v1/namespaces/default/secrets/db")
            _ = try await cluster.admin.get("/api/v1/namespaces/default/secrets")
            try await cluster.admin.patch(
                "/api/v1/namespaces/default/secrets/db", ["stringData": ["token": .string(value + "2")]], contentType: MediaType.mergePatch
            )
            let log = try String(contentsOfFile: cluster.auditLogPath, encoding: .utf8)
            #expect(log.contains("\"password\":\"<redacted>\""), "the key is still named")
            #expect(!log.contains(value))
            #expect(!log.contains(encoded))
        }
    }

    @Test func podSecurityFindingsAreAnnotated() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, [
                "kind": "Namespace", "metadata": ["name": "audited", "labels": ["pod-security.kubernetes.io/audit": "restricted"]],
            ])
            let response = try await cluster.admin.request("POST", Paths.pods(in: "audited"), json: Manifests.pod("plain"))
            #expect(response.status == 201)
            let event = try #require(try cluster.auditEvents().first { $0["auditID"]?.stringValue == response.header("Audit-ID").first })
            let violations = event[path: ["annotations", "pod-security.kubernetes.io/audit-violations"]]?.stringValue ?? ""
            #expect(violations.contains("would violate PodSecurity \"restricted:latest\""), "\(violations)")
            #expect(event[path: ["annotations", "pod-security.kubernetes.io/enforce-policy"]] == "privileged:latest")
        }
    }

    @Test func auditReadsAreGuardedByRBACAndAuditedThemselves() async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.withClient(user: "eve") { try await $0.request("GET", Paths.configMaps(), json: nil) }
            let refused = try await cluster.withClient(user: "eve") { try await $0.request("GET", "/palisade/v1/audit/events", json: nil) }
            try refused.expectFailure(403, "Forbidden")
            try await cluster.admin.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", [
                "kind": "ClusterRoleBinding", "metadata": ["name": "auditors"],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "palisade:audit-reader"],
                "subjects": [["kind": "User", "name": "auditor", "apiGroup": "rbac.authorization.k8s.io"]],
            ])
            let answer = try await cluster.withClient(user: "auditor") { auditor in
                try await auditor.get("/palisade/v1/audit/events?user=eve&decision=deny")
            }
            #expect(answer["kind"] == "EventList")
            let items = answer["items"]?.arrayValue ?? []
            #expect(items.count == 2, "eve's list and her audit read, both denied")
            #expect(items.allSatisfy { $0[path: ["user", "username"]] == "eve" && $0[path: ["responseStatus", "code"]] == 403 })
            let own = try await cluster.withClient(user: "auditor") { try await $0.get("/palisade/v1/audit/events?user=auditor") }
            #expect((own["items"]?.arrayValue ?? []).contains { $0["requestURI"]?.stringValue?.hasPrefix("/palisade/v1/audit/events") == true })
            let bad = try await cluster.admin.request("GET", "/palisade/v1/audit/events?since=yesterday", json: nil)
            try bad.expectFailure(400, "BadRequest")
        }
    }

    @Test func aConnectionRefusedAtTheHandshakeIsRecorded() async throws {
        try await TestCluster.with { cluster in
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-other-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: elsewhere) }
            let stranger = try ClusterPKI.loadOrCreate(directory: elsewhere, serverNames: ["127.0.0.1"])
            let (certificate, key) = try stranger.authority.issueClient(user: "mallory", groups: ["system:masters"], validity: 3600)
            let client = try PalisadeClient(kubeconfig: Kubeconfig(
                clusterName: "x", server: cluster.server, certificateAuthorityPEM: try cluster.pki.authority.certificatePEM,
                userName: "mallory", clientCertificatePEM: certificate, clientKeyPEM: key
            ))
            await #expect(throws: (any Error).self) { _ = try await client.request("GET", Paths.configMaps(), json: nil) }
            try await client.shutdown()
            let recorded = try await eventually {
                try cluster.auditEvents().contains { $0[path: ["annotations", "audit.palisade.dev/tls-refusal"]] != nil }
            }
            #expect(recorded)
            let event = try #require(try cluster.auditEvents().first { $0[path: ["annotations", "audit.palisade.dev/tls-refusal"]] != nil })
            #expect(event["sourceIPs"] == ["127.0.0.1"])
            #expect(event[path: ["user", "username"]] == "")
            #expect(event[path: ["responseStatus", "code"]] == 401)
            #expect(!JSONSerializer.string(event).contains("mallory"), "nothing of the refused certificate is trusted")
        }
    }

    @Test func anUnwritableLogRefusesRequestsWith503AndRecovers() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("before"))
            let path = cluster.auditLogPath
            try FileManager.default.moveItem(atPath: path, toPath: path + ".moved")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            let refused = try await cluster.admin.request("POST", Paths.configMaps(), json: Manifests.configMap("during"))
            try refused.expectFailure(503, "ServiceUnavailable")
            let stillRefused = try await cluster.admin.request("GET", Paths.configMaps(), json: nil)
            #expect(stillRefused.status == 503)
            try FileManager.default.removeItem(atPath: path)
            let recovered = try await eventually { try await cluster.admin.request("GET", Paths.configMaps(), json: nil).status == 200 }
            #expect(recovered)
            // The create that was refused had reached the store; its event was kept and written on recovery.
            #expect(try cluster.auditEvents().contains { $0[path: ["objectRef", "resource"]] == "configmaps" && $0["verb"] == "create" })
            let verifier = AuditVerifier(key: try AuditKeys.loadChainKey(path: AuditKeys.chainKeyPath(directory: cluster.auditKeysDirectory)))
            #expect(verifier.verify(files: [path + ".moved", path]).intact)
        }
    }
}

extension TestCluster {
    /// Every event in the audit log so far.
    func auditEvents() throws -> [JSONValue] {
        try String(contentsOfFile: auditLogPath, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }
}
