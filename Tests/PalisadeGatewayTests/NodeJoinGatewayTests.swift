import Foundation
import PalisadeAPI
import PalisadeAuth
import PalisadeClient
import PalisadeTesting
import Testing

/// Joining nodes, server side: bootstrap tokens on the bootstrap listener (accepted only as
/// stored, refused alike otherwise, good for certificate requests alone), automatic approval
/// and signing of proper node client-certificate requests, and node renewal.
@Suite struct NodeJoinGatewayTests {
    static let requests = CertificateSigningTests.requests
    static let kubeletSigner = "kubernetes.io/kube-apiserver-client-kubelet"

    /// A CSR for the kubelet client signer with the given subject.
    static func nodeCSR(_ name: String, user: String, groups: [String] = ["system:nodes"]) throws -> JSONValue {
        var (csr, _) = try CertificateSigningTests.csr(name, user: user, groups: groups)
        csr[path: ["spec", "signerName"]] = .string(kubeletSigner)
        csr[path: ["spec", "usages"]] = ["digital signature", "key encipherment", "client auth"]
        return csr
    }

    /// Waits for `name` to carry a certificate; returns the stored request.
    static func issued(_ cluster: TestCluster, _ name: String) async throws -> JSONValue {
        var answered: JSONValue = .null
        let signed = try await eventually(within: .seconds(10)) {
            answered = try await cluster.admin.get(requests + "/\(name)")
            return answered[path: ["status", "certificate"]] != nil
        }
        try #require(signed, "no certificate for \(name): \(answered)")
        return answered
    }

    static func conditions(_ csr: JSONValue) -> [String] {
        (csr[path: ["status", "conditions"]]?.arrayValue ?? []).compactMap { condition in
            condition["type"]?.stringValue.map { "\($0)/\(condition["reason"]?.stringValue ?? "")" }
        }
    }

    static func withBootstrapClient<T: Sendable>(_ cluster: TestCluster, token: String, _ body: (PalisadeClient) async throws -> T) async throws -> T {
        try await using(try cluster.bootstrapClient(token: token), body)
    }

    @Test func aStoredTokenAuthenticatesAsItsBootstrapIdentity() async throws {
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken(extraGroups: ["system:bootstrappers:rack-1"])
            let stored = try await Self.withBootstrapClient(cluster, token: token.text) { client in
                try await client.create(Self.requests, try Self.nodeCSR("join-1", user: "system:node:n1"))
            }
            #expect(stored[path: ["spec", "username"]] == .string("system:bootstrap:\(token.id)"))
            #expect(stored[path: ["spec", "groups"]] == ["system:bootstrappers", "system:bootstrappers:rack-1", "system:authenticated"])
            // Neither the secret nor the header reach the audit log.
            let log = try String(contentsOfFile: cluster.auditLogPath, encoding: .utf8)
            #expect(log.contains("system:bootstrap:\(token.id)"))
            #expect(!log.contains(token.text))
        }
    }

    @Test(arguments: ["expired", "wrong secret", "malformed", "unknown", "no header", "wrong type", "not for authentication", "basic"])
    func aTokenTheSecretDoesNotAcceptIsRefusedAlike(_ flaw: String) async throws {
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = BootstrapToken.generate()
            var sent = token.text
            switch flaw {
            case "expired": try await cluster.createBootstrapToken(token, expiresIn: -60)
            case "wrong secret":
                try await cluster.createBootstrapToken(token)
                sent = token.id + ".0123456789abcdef"
            case "malformed":
                try await cluster.createBootstrapToken(token)
                sent = token.text.uppercased()
            case "unknown": break
            case "no header": sent = ""
            case "wrong type": try await cluster.createBootstrapToken(token, secretType: "Opaque")
            case "not for authentication": try await cluster.createBootstrapToken(token, usage: "false")
            default: try await cluster.createBootstrapToken(token)
            }
            // Without a token the client sends a certificate-only request (the listener asks for no certificate).
            let client = try ["no header", "basic"].contains(flaw)
                ? PalisadeClient(kubeconfig: try cluster.pki.adminKubeconfig(server: try cluster.bootstrapServer))
                : PalisadeClient(server: try cluster.bootstrapServer, certificateAuthorityPEM: try cluster.pki.authority.certificatePEM, bearerToken: sent)
            let headers: [(String, String)] = flaw == "basic" ? [("Authorization", "Basic \(Data(token.text.utf8).base64EncodedString())")] : []
            let response = try await client.request("POST", Self.requests, body: JSONSerializer.bytes(try Self.nodeCSR("join-1", user: "system:node:n1")), headers: headers)
            try await client.shutdown()
            let status = try response.expectFailure(401, "Unauthorized")
            #expect(status.message == "Unauthorized", "nothing says which part was wrong")
            #expect(try await cluster.admin.isGone(Self.requests + "/join-1"))
        }
    }

    @Test func aBootstrapTokenServesCertificateRequestsAndNothingElse() async throws {
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken()
            try await Self.withBootstrapClient(cluster, token: token.text) { client in
                let created = try await client.create(Self.requests, try Self.nodeCSR("join-1", user: "system:node:n1"))
                _ = try await client.get(Self.requests + "/join-1")
                _ = try await client.get(Self.requests)
                for (method, path) in [
                    ("GET", "/api/v1/pods"), ("GET", "/api/v1/namespaces/kube-system/secrets"),
                    ("GET", "/api/v1/namespaces/kube-system/secrets/\(BootstrapTokenSecret.name(id: token.id))"), ("GET", "/api"),
                    ("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews"), ("DELETE", Self.requests + "/join-1"),
                    ("GET", "/healthz"), ("GET", "/palisade/v1/certificates"),
                ] {
                    let response = try await client.request(method, path, json: nil)
                    try response.expectFailure(404, "NotFound")
                }
                let approval = try await client.request("PUT", Self.requests + "/join-1/approval", json: CertificateSigningTests.approve(created))
                try approval.expectFailure(404, "NotFound")
            }
        }
    }

    @Test func aProperNodeRequestIsApprovedAndSignedForTheNode() async throws {
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken()
            let (request, key) = try ClientCertificateRequest.generate(user: "system:node:n1", groups: ["system:nodes"])
            var csr = try Self.nodeCSR("join-1", user: "system:node:n1")
            csr[path: ["spec", "request"]] = .string(Data(request.utf8).base64EncodedString())
            try await Self.withBootstrapClient(cluster, token: token.text) { _ = try await $0.create(Self.requests, csr) }
            let answered = try await Self.issued(cluster, "join-1")
            #expect(Self.conditions(answered) == ["Approved/AutoApproved"])
            let pem = String(decoding: Data(base64Encoded: answered[path: ["status", "certificate"]]?.stringValue ?? "") ?? Data(), as: UTF8.self)
            let node = try PalisadeClient(kubeconfig: Kubeconfig(
                clusterName: "test", server: cluster.server, certificateAuthorityPEM: try cluster.pki.authority.certificatePEM,
                userName: "system:node:n1", clientCertificatePEM: pem, clientKeyPEM: key
            ))
            // The Node authorizer knows it: it may read Nodes, and is refused Secrets by name.
            let nodes = try await node.request("GET", "/api/v1/nodes", json: nil)
            let secrets = try await node.request("GET", "/api/v1/namespaces/default/secrets", json: nil)
            try await node.shutdown()
            #expect(nodes.status == 200, "\(nodes.text)")
            #expect(try secrets.expectFailure(403, "Forbidden").message.contains("User \"system:node:n1\""))
        }
    }

    /// Requests the approver must leave alone, each followed by a proper one: requests are
    /// handled in order, so once the proper one is approved the others were looked at.
    @Test func otherRequestsAreLeftForAHuman() async throws {
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken()
            let improper: [(String, JSONValue)] = [
                ("extra-group", try Self.nodeCSR("extra-group", user: "system:node:n1", groups: ["system:nodes", "system:masters"])),
                ("no-group", try Self.nodeCSR("no-group", user: "system:node:n1", groups: [])),
                ("not-a-node", try Self.nodeCSR("not-a-node", user: "alice", groups: ["system:nodes"])),
            ]
            try await Self.withBootstrapClient(cluster, token: token.text) { client in
                for (_, csr) in improper { _ = try await client.create(Self.requests, csr) }
            }
            // Not a bootstrapper nor the node: the administrator asking for a node's certificate.
            _ = try await cluster.admin.create(Self.requests, try Self.nodeCSR("by-admin", user: "system:node:n1"))
            try await Self.withBootstrapClient(cluster, token: token.text) { _ = try await $0.create(Self.requests, try Self.nodeCSR("proper", user: "system:node:n1")) }
            _ = try await Self.issued(cluster, "proper")
            for name in improper.map(\.0) + ["by-admin"] {
                let csr = try await cluster.admin.get(Self.requests + "/\(name)")
                #expect(Self.conditions(csr).isEmpty, "\(name): \(Self.conditions(csr))")
                #expect(csr[path: ["status", "certificate"]] == nil, "\(name)")
            }
        }
    }

    @Test func theKubeletSignerSignsOnlyNodeSubjectsWhoeverApproves() async throws {
        try await TestCluster.with { cluster in
            let stored = try await cluster.admin.create(Self.requests, try Self.nodeCSR("alice-node", user: "alice", groups: ["dev"]))
            try await cluster.admin.send("PUT", Self.requests + "/alice-node/approval", CertificateSigningTests.approve(stored), expect: 200)
            var answered: JSONValue = .null
            let failed = try await eventually {
                answered = try await cluster.admin.get(Self.requests + "/alice-node")
                return Self.conditions(answered).contains("Failed/SignerValidationFailure")
            }
            #expect(failed, "\(answered)")
            #expect(answered[path: ["status", "certificate"]] == nil)
        }
    }

    @Test func aNodeRenewsItsOwnCertificateAndReadsOnlyItsOwnRequests() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withClient(user: "system:node:n1", groups: ["system:nodes"]) { node in
                _ = try await node.create(Self.requests, try Self.nodeCSR("renew-n2", user: "system:node:n2"))
                _ = try await node.create(Self.requests, try Self.nodeCSR("renew-n1", user: "system:node:n1"))
                let answered = try await Self.issued(cluster, "renew-n1")
                #expect(Self.conditions(answered) == ["Approved/AutoApproved"])
                #expect(answered[path: ["spec", "username"]] == "system:node:n1")
                _ = try await node.get(Self.requests + "/renew-n1")
                _ = try await node.get(Self.requests + "?fieldSelector=metadata.name%3Drenew-n1")
                try await node.request("GET", Self.requests, json: nil).expectFailure(403, "Forbidden")
                try await node.request("PUT", Self.requests + "/renew-n1/approval", json: answered).expectFailure(403, "Forbidden")
                try await node.request("DELETE", Self.requests + "/renew-n1", json: nil).expectFailure(403, "Forbidden")
            }
            let other = try await cluster.admin.get(Self.requests + "/renew-n2")
            #expect(Self.conditions(other).isEmpty, "a node does not get another node's certificate")
            _ = try await cluster.admin.create(Self.requests, try Self.nodeCSR("admins", user: "system:node:n1"))
            try await cluster.withClient(user: "system:node:n2", groups: ["system:nodes"]) { _ = try await $0.create(Self.requests, try Self.nodeCSR("n2-own", user: "system:node:n2")) }
            try await cluster.withClient(user: "system:node:n1", groups: ["system:nodes"]) { node in
                _ = try await node.get(Self.requests + "/renew-n2")
                for path in ["/n2-own", "/admins", "/missing"] {
                    try await node.request("GET", Self.requests + path, json: nil).expectFailure(403, "Forbidden")
                }
            }
        }
    }
}
