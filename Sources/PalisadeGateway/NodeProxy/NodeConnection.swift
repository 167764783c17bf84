import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOSSL
import PalisadeAPI
import Synchronization

/// How the API server calls a node agent: HTTPS to the node's InternalIP and daemon port,
/// trusting only the serving authority the node published on its own Node (which only the
/// node and administrators may write), with the server's node-client certificate. Clients
/// are kept per authority, so a restarted agent (a new authority) gets a new one.
final class NodeConnections: Sendable {
    let clientCertificatePath: String
    let clientKeyPath: String
    private let clients = Mutex<[String: HTTPClient]>([:])

    init(clientCertificatePath: String, clientKeyPath: String) {
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
    }

    deinit {
        // Shut down in the background: nothing can be awaited here.
        for client in clients.withLock({ Array($0.values) }) { client.shutdown { _ in } }
    }

    /// The base URL and client for `node`, or why the node cannot be called.
    func connection(to node: JSONValue) throws(APIError) -> (url: String, client: HTTPClient) {
        let name = node.name ?? ""
        let addresses = node[path: ["status", "addresses"]]?.arrayValue ?? []
        guard let address = addresses.first(where: { $0["type"]?.stringValue == "InternalIP" })?["address"]?.stringValue,
              let port = node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]]?.intValue, port > 0,
              let authority = node[path: ["metadata", "annotations", .init(NodeAnnotations.servingAuthority)]]?.stringValue
        else {
            throw .serviceUnavailable("node \"\(name)\" has no agent endpoint")
        }
        let key = SHA256.hash(data: Data(authority.utf8)).map { String(format: "%02x", $0) }.joined()
        let client = try clients.withLock { clients throws(APIError) -> HTTPClient in
            if let client = clients[key] { return client }
            let client = try makeClient(trusting: authority, node: name)
            clients[key] = client
            return client
        }
        let host = address.contains(":") ? "[\(address)]" : address
        return ("https://\(host):\(port)", client)
    }

    private func makeClient(trusting authority: String, node: String) throws(APIError) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        do {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(authority.utf8)))
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificatePath).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientKeyPath, format: .pem))
        } catch {
            throw .serviceUnavailable("node \"\(node)\" cannot be called: \(error)")
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
