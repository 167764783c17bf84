import Foundation
import PalisadeAPI
import PalisadeAuth
import PalisadeClient
import PalisadeTesting
import Testing

/// Client certificates through the API: a CertificateSigningRequest for the
/// `kubernetes.io/kube-apiserver-client` signer, approved by someone allowed to, is answered
/// by the server's signer with a certificate that authenticates as the requested user.
@Suite struct CertificateSigningTests {
    static let requests = "/apis/certificates.k8s.io/v1/certificatesigningrequests"

    static func csr(_ name: String, user: String, groups: [String] = [], expirationSeconds: Int64? = nil) throws -> (object: JSONValue, keyPEM: String) {
        let (request, key) = try ClientCertificateRequest.generate(user: user, groups: groups)
        var spec: JSONValue = [
            "request": .string(Data(request.utf8).base64EncodedString()), "signerName": "kubernetes.io/kube-apiserver-client",
            "usages": ["client auth"], "username": "someone-else", "groups": ["system:masters"],
        ]
        if let expirationSeconds { spec["expirationSeconds"] = .int(expirationSeconds) }
        return (["apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": ["name": .string(name)], "spec": spec], key)
    }

    /// What `kubectl certificate approve` sends: the CSR with an Approved condition, PUT on `/approval`.
    static func approve(_ csr: JSONValue) -> JSONValue {
        var approved = csr
        approved[path: ["status", "conditions"]] = [["type": "Approved", "status": "True", "reason": "KubectlApprove", "message": "approved in a test"]]
        return approved
    }

    static let updateRequests: JSONValue = [
        "apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests", "certificatesigningrequests/approval"], "verbs": ["get", "update"],
    ]

    /// A ClusterRole with `rules`, bound to `user`.
    static func grant(_ cluster: TestCluster, _ user: String, rules: [JSONValue]) async throws {
        try await cluster.admin.create("/apis/rbac.authorization.k8s.io/v1/clusterroles", [
            "kind": "ClusterRole", "metadata": ["name": .string("grant-\(user)")], "rules": .array(rules),
        ])
        try await cluster.admin.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", [
            "kind": "ClusterRoleBinding", "metadata": ["name": .string("grant-\(user)")],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string("grant-\(user)")],
            "subjects": [["kind": "User", "name": .string(user), "apiGroup": "rbac.authorization.k8s.io"]],
        ])
    }

    /// Asks for, approves and fetches a certificate for `user`; returns a client using it.
    static func signedClient(_ cluster: TestCluster, name: String, user: String, groups: [String] = []) async throws -> PalisadeClient {
        let (request, key) = try csr(name, user: user, groups: groups, expirationSeconds: 3600)
        let stored = try await cluster.admin.create(requests, request)
        #expect(stored[path: ["spec", "username"]] == .string(ClusterPKI.adminUser), "the requester comes from the credentials, not the body")
        #expect(stored[path: ["status", "certificate"]] == nil)
        try await cluster.admin.send("PUT", requests + "/\(name)/approval", approve(stored), expect: 200)
        var answered: JSONValue = .null
        let signed = try await eventually {
            answered = try await cluster.admin.get(requests + "/\(name)")
            return answered[path: ["status", "certificate"]] != nil
        }
        try #require(signed)
        let pem = String(decoding: Data(base64Encoded: answered[path: ["status", "certificate"]]?.stringValue ?? "") ?? Data(), as: UTF8.self)
        return try PalisadeClient(kubeconfig: Kubeconfig(
            clusterName: "test", server: cluster.server, certificateAuthorityPEM: try cluster.pki.authority.certificatePEM,
            userName: user, clientCertificatePEM: pem, clientKeyPEM: key
        ))
    }

    static func whoami(_ client: PalisadeClient) async throws -> JSONValue {
        try await client.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", ["kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1"], expect: 201)
    }

    @Test func anApprovedRequestIsSignedForTheRequestedUser() async throws {
        try await TestCluster.with { cluster in
            let (request, _) = try Self.csr("alice-0", user: "alice")
            let refused = try await cluster.withClient(user: "alice", groups: ["dev"]) { try await $0.request("POST", Self.requests, json: request) }
            #expect(refused.status == 403, "alice may not create CSRs without a grant")
            let client = try await Self.signedClient(cluster, name: "alice-1", user: "alice", groups: ["dev"])
            let review = try await Self.whoami(client)
            try await client.shutdown()
            #expect(review[path: ["status", "userInfo", "username"]] == "alice")
            #expect(review[path: ["status", "userInfo", "groups"]]?.arrayValue?.contains("dev") == true)
        }
    }

    @Test func aRevokedCertificateIsRefusedAndItsConnectionsClosed() async throws {
        try await TestCluster.with { cluster in
            let client = try await Self.signedClient(cluster, name: "alice-1", user: "alice")
            _ = try await Self.whoami(client)
            let listed = try await cluster.admin.get("/palisade/v1/certificates")
            let record = try #require(listed["items"]?.arrayValue?.first { $0["user"] == "alice" })
            #expect(record["revoked"] == false)
            #expect(record["certificateSigningRequest"] == "alice-1")
            let refused = try await cluster.withClient(user: "eve") { try await $0.request("POST", "/palisade/v1/certificates/revoke", json: ["user": "alice"]) }
            try refused.expectFailure(403, "Forbidden")
            let revoked = try await cluster.admin.send("POST", "/palisade/v1/certificates/revoke", ["user": "alice"], expect: 200)
            #expect(revoked["revoked"] == [record["serial"]!])
            // The open keep-alive connection was closed; a new handshake with the certificate fails.
            await #expect(throws: (any Error).self) { _ = try await Self.whoami(client) }
            #expect(try await cluster.admin.get("/palisade/v1/certificates")["items"]?.arrayValue?.first { $0["user"] == "alice" }?["revoked"] == true)
            // The request above may have met the closing connection instead of a handshake; each
            // new attempt is a new handshake, refused and audited.
            let handshakeRefusal = try await eventually {
                await #expect(throws: (any Error).self) { _ = try await Self.whoami(client) }
                return try cluster.auditEvents().contains { $0[path: ["annotations", "audit.palisade.dev/tls-refusal"]]?.stringValue?.contains("revoked") == true }
            }
            try await client.shutdown()
            #expect(handshakeRefusal, "the refused handshake is in the audit log")
            try await cluster.admin.send("POST", "/palisade/v1/certificates/revoke", ["user": "nobody"], expect: 404)
        }
    }

    /// The serial the records show (from swift-certificates) is the one the handshake sees
    /// (from BoringSSL), for random serials of every shape, however an administrator types it.
    @Test func revocationBySerialHoldsForEverySerialForm() async throws {
        try await TestCluster.with { cluster in
            for index in 0..<8 {
                let client = try await Self.signedClient(cluster, name: "user-\(index)", user: "user-\(index)")
                _ = try await Self.whoami(client)
                let records = try await cluster.admin.get("/palisade/v1/certificates")["items"]?.arrayValue ?? []
                let serial = try #require(records.first { $0["user"] == .string("user-\(index)") }?["serial"]?.stringValue)
                try await cluster.admin.send("POST", "/palisade/v1/certificates/revoke", ["serial": .string("00" + serial.uppercased())], expect: 200)
                await #expect(throws: (any Error).self, "serial \(serial)") { _ = try await Self.whoami(client) }
                try await client.shutdown()
            }
        }
    }

    @Test func anExpiredCertificateIsRefusedAtTheHandshake() async throws {
        try await TestCluster.with { cluster in
            let (request, key) = try ClientCertificateRequest.generate(user: "old", groups: [])
            let expired = try cluster.pki.authority.sign(
                ClientCertificateRequest(pem: Array(request.utf8)), validity: 3600, now: Date().addingTimeInterval(-7200)
            )
            #expect(expired.notAfter < Date())
            let client = try PalisadeClient(kubeconfig: Kubeconfig(
                clusterName: "test", server: cluster.server, certificateAuthorityPEM: try cluster.pki.authority.certificatePEM,
                userName: "old", clientCertificatePEM: expired.pem, clientKeyPEM: key
            ))
            await #expect(throws: (any Error).self) { _ = try await Self.whoami(client) }
            try await client.shutdown()
        }
    }

    @Test func approvingNeedsTheApproveVerbOnTheSigner() async throws {
        try await TestCluster.with { cluster in
            let (request, _) = try Self.csr("bob-1", user: "bob")
            let stored = try await cluster.admin.create(Self.requests, request)
            try await Self.grant(cluster, "carol", rules: [Self.updateRequests])
            let refused = try await cluster.withClient(user: "carol") { try await $0.request("PUT", Self.requests + "/bob-1/approval", json: Self.approve(stored)) }
            let status = try refused.expectFailure(403, "Forbidden")
            #expect(status["message"]?.stringValue?.contains("not permitted to approve requests with signerName \"kubernetes.io/kube-apiserver-client\"") == true)
        }
    }

    @Test func aSystemMastersCertificateNeedsAMasterToApprove() async throws {
        try await TestCluster.with { cluster in
            let (request, _) = try Self.csr("root-1", user: "mallory", groups: ["system:masters"])
            let stored = try await cluster.admin.create(Self.requests, request)
            try await Self.grant(cluster, "carol", rules: [
                Self.updateRequests,
                ["apiGroups": ["certificates.k8s.io"], "resources": ["signers"], "resourceNames": ["kubernetes.io/*"], "verbs": ["approve"]],
            ])
            let refused = try await cluster.withClient(user: "carol") { try await $0.request("PUT", Self.requests + "/root-1/approval", json: Self.approve(stored)) }
            let status = try refused.expectFailure(403, "Forbidden")
            #expect(status["message"]?.stringValue?.contains("only members of system:masters") == true)
            // An ordinary request carol may approve.
            let (plain, _) = try Self.csr("dave-1", user: "dave")
            let pending = try await cluster.admin.create(Self.requests, plain)
            let approved = try await cluster.withClient(user: "carol") { try await $0.request("PUT", Self.requests + "/dave-1/approval", json: Self.approve(pending)) }
            #expect(approved.status == 200, "\(approved.text)")
        }
    }

    @Test func malformedRequestsAreRefusedWithFieldPaths() async throws {
        try await TestCluster.with { cluster in
            var (request, _) = try Self.csr("bad-1", user: "eve", expirationSeconds: 60)
            request[path: ["spec", "usages"]] = ["server auth"]
            let status = try await cluster.admin.request("POST", Self.requests, json: request).expectFailure(422, "Invalid")
            let fields = Set((status[path: ["details", "causes"]]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
            #expect(fields == ["spec.usages", "spec.usages[0]", "spec.expirationSeconds"])
            var garbage = try Self.csr("bad-2", user: "eve").object
            garbage[path: ["spec", "request"]] = .string(Data("not a request".utf8).base64EncodedString())
            let refused = try await cluster.admin.request("POST", Self.requests, json: garbage).expectFailure(422, "Invalid")
            #expect(refused[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "spec.request")
        }
    }
}
