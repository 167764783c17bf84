import Foundation
import Logging
import PalisadeAPI
import PalisadeAgent
import PalisadeAuth
import PalisadeClient
import PalisadeTesting
import Testing

/// Joining, agent side, end to end against a real cluster with a bootstrap listener: a node
/// with a token gets `system:node:<name>` credentials written to its directory, reuses them
/// without a token, renews them as itself, and a refused token says so.
@Suite struct NodeJoinTests {
    static let logger = Logger(label: "node-join-test")

    static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("palisade-node-\(UUID().uuidString)").path
    }

    static func join(_ cluster: TestCluster, token: String?, node: String = "n1", directory: String) async throws -> Kubeconfig {
        try await NodeJoin.credentials(
            server: cluster.server, bootstrapServer: try cluster.bootstrapServer, caPEM: try cluster.pki.authority.certificatePEM,
            token: token, nodeName: node, directory: directory, waitLimit: .seconds(20), logger: logger
        )
    }

    /// Who the API server takes the kubeconfig's user for: a node may read Nodes, and the
    /// refusal of anything else names the user (nodes may not ask SelfSubjectReviews).
    static func nodeUser(_ kubeconfig: Kubeconfig) async throws -> String? {
        let client = try PalisadeClient(kubeconfig: kubeconfig)
        let nodes: PalisadeClient.Response
        let secrets: PalisadeClient.Response
        do {
            nodes = try await client.request("GET", "/api/v1/nodes", json: nil)
            secrets = try await client.request("GET", "/api/v1/namespaces/default/secrets", json: nil)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        guard nodes.status == 200, secrets.status == 403, let message = secrets.json?["message"]?.stringValue,
              let start = message.range(of: "User \""), let end = message[start.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return String(message[start.upperBound..<end])
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func aNodeJoinsWithATokenAndKeepsItsCredentials() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken()
            let kubeconfig = try await Self.join(cluster, token: token.text, directory: directory)
            #expect(kubeconfig.server == cluster.server)
            #expect(kubeconfig.userName == "system:node:n1")
            #expect(try await Self.nodeUser(kubeconfig) == "system:node:n1")
            #expect(try Self.mode(directory + "/node.key") == 0o600)
            #expect(try Self.mode(directory + "/node.kubeconfig") == 0o600)
            #expect(try Kubeconfig.parse(String(contentsOfFile: directory + "/node.kubeconfig", encoding: .utf8)) == kubeconfig)
            #expect(try String(contentsOfFile: directory + "/node.key", encoding: .utf8) == kubeconfig.clientKeyPEM)
            // Once joined, no token is needed and nothing new is asked for.
            let again = try await Self.join(cluster, token: nil, directory: directory)
            #expect(again == kubeconfig)
            let requests = try await cluster.admin.request("GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests", json: nil).requireJSON()
            #expect(requests["items"]?.arrayValue?.count == 1)
            #expect(requests["items"]?.arrayValue?.first?.name?.hasPrefix("node-csr-n1-") == true)
        }
    }

    @Test func anotherNodesCredentialsAreNotReused() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken()
            _ = try await Self.join(cluster, token: token.text, node: "n1", directory: directory)
            await #expect(throws: NodeJoinError.self) { _ = try await Self.join(cluster, token: nil, node: "n2", directory: directory) }
        }
    }

    @Test func aRefusedTokenSaysWhoRefusedIt() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken(expiresIn: -60)
            let error = await #expect(throws: NodeJoinError.self) { _ = try await Self.join(cluster, token: token.text, directory: directory) }
            #expect(error?.description == "bootstrap token refused by \(try cluster.bootstrapServer): Unauthorized")
            #expect(error?.description.contains(token.text) == false)
            await #expect(throws: NodeJoinError.self) { _ = try await Self.join(cluster, token: "not-a-token", directory: directory) }
            await #expect(throws: NodeJoinError.self) { _ = try await Self.join(cluster, token: nil, directory: directory) }
            #expect(!FileManager.default.fileExists(atPath: directory + "/node.kubeconfig"))
        }
    }

    @Test func aNodeRenewsItsCertificateAsItself() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestCluster.with(bootstrapListener: true) { cluster in
            let token = try await cluster.createBootstrapToken()
            let joined = try await Self.join(cluster, token: token.text, directory: directory)
            // The token is gone: renewal must not need it.
            try await cluster.admin.request("DELETE", "/api/v1/namespaces/kube-system/secrets/bootstrap-token-\(token.id)", json: nil).requireJSON()
            let rotation = CertificateRotation(nodeName: "n1", directory: directory, logger: Self.logger) { _ in }
            let renewed = try await rotation.renew()
            #expect(renewed.clientCertificatePEM != joined.clientCertificatePEM)
            #expect(renewed.clientKeyPEM != joined.clientKeyPEM)
            #expect(try await Self.nodeUser(renewed) == "system:node:n1")
            #expect(try Kubeconfig.parse(String(contentsOfFile: directory + "/node.kubeconfig", encoding: .utf8)) == renewed)
            let requests = try await cluster.admin.request("GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests", json: nil).requireJSON()
            let requesters = Set(requests["items"]?.arrayValue?.compactMap { $0[path: ["spec", "username"]]?.stringValue } ?? [])
            #expect(requesters == ["system:bootstrap:\(token.id)", "system:node:n1"])
        }
    }

    @Test(arguments: [(0.7, 70.0), (0.8, 80.0), (1.5, 100.0), (-1, 0.0)])
    func renewalIsDueAtItsFractionOfTheLifetime(_ fraction: Double, _ seconds: Double) {
        let start = Date(timeIntervalSince1970: 1_000)
        let due = CertificateRotation.renewalDate(notBefore: start, notAfter: start.addingTimeInterval(100), fraction: fraction)
        #expect(due == start.addingTimeInterval(seconds))
    }
}
