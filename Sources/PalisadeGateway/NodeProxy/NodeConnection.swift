import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import PalisadeAPI
import Synchronization

/// How the API server calls a node agent: HTTPS to the node's InternalIP and daemon port,
/// trusting only the serving authority the node published on its own Node (which only the
/// node and administrators may write), with the server's node-client certificate. One client
/// per node; a restarted agent (a new authority) gets a new one and the old one is shut down.
final class NodeConnections: Sendable {
    let clientCertificatePath: String
    let clientKeyPath: String
    private let clients = Mutex<[String: (authority: String, client: HTTPClient)]>([:])

    init(clientCertificatePath: String, clientKeyPath: String) {
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
    }

    deinit {
        // Shut down in the background: nothing can be awaited here.
        for entry in clients.withLock({ Array($0.values) }) { entry.client.shutdown { _ in } }
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
        let client = try clients.withLock { clients throws(APIError) -> HTTPClient in
            if let known = clients[name], known.authority == authority { return known.client }
            let client = try makeClient(trusting: authority, node: name)
            clients[name]?.client.shutdown { _ in }
            clients[name] = (authority, client)
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
