import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import PalisadeAPI
import PalisadeAuth
import Synchronization

/// A small mTLS client for the Palisade API: raw requests, JSON in and out, and watch
/// streams. Used by the tests, the benchmark, the node agent and kauth. A client of the
/// bootstrap listener (``init(server:certificateAuthorityPEM:bearerToken:connections:)``)
/// presents no certificate and sends a bearer token instead.
public final class PalisadeClient: Sendable {
    public let server: String
    /// The `Authorization` header value sent with every request, if any; never printed.
    private let authorization: String?
    private let connections: Int
    /// The HTTP client in use, and those an identity replacement retired (their requests
    /// finish on them; they are shut down with this client).
    private let clients: Mutex<(current: HTTPClient, retired: [HTTPClient])>

    var http: HTTPClient { clients.withLock { $0.current } }

    /// A response with its body read in full.
    public struct Response: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: [UInt8]

        public var json: JSONValue? { try? JSONParser.parse(body) }

        /// The JSON body of a success; otherwise the server's message as a ``ClientError``.
        public func requireJSON() throws -> JSONValue {
            guard (200..<300).contains(status), let json else { throw ClientError(status: status, body: body) }
            return json
        }

        public func header(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }
    }

    /// - Parameter connections: keep-alive connections kept per server.
    public convenience init(kubeconfig: Kubeconfig, connections: Int = 8) throws {
        self.init(server: kubeconfig.server, tls: try Self.tls(presenting: kubeconfig), authorization: nil, connections: connections)
    }

    /// A client that verifies `server` against `certificateAuthorityPEM`, presents no client
    /// certificate, and authenticates every request with `Authorization: Bearer <bearerToken>`:
    /// the bootstrap listener's kind of client.
    public convenience init(server: String, certificateAuthorityPEM: String, bearerToken: String, connections: Int = 1) throws {
        self.init(server: server, tls: try Self.tls(trusting: certificateAuthorityPEM), authorization: "Bearer " + bearerToken, connections: connections)
    }

    private init(server: String, tls: TLSConfiguration, authorization: String?, connections: Int) {
        self.server = server
        self.authorization = authorization
        self.connections = connections
        clients = Mutex((Self.httpClient(tls: tls, connections: connections), []))
    }

    /// Presents `kubeconfig`'s client certificate and key from the next request on (a renewed
    /// node certificate, say). Requests and watches already under way finish on their old
    /// connections. The kubeconfig must be for the same server and CA.
    public func replaceIdentity(with kubeconfig: Kubeconfig) throws {
        guard authorization == nil else { throw PKIError("a bearer-token client has no client certificate to replace") }
        guard kubeconfig.server == server else { throw PKIError("the new identity is for \(kubeconfig.server), not \(server)") }
        let replacement = Self.httpClient(tls: try Self.tls(presenting: kubeconfig), connections: connections)
        clients.withLock { clients in
            clients.retired.append(clients.current)
            clients.current = replacement
        }
    }

    private static func httpClient(tls: TLSConfiguration, connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The cluster CA as the only trust root, and the kubeconfig's client certificate.
    private static func tls(presenting kubeconfig: Kubeconfig) throws -> TLSConfiguration {
        var tls = try tls(trusting: kubeconfig.certificateAuthorityPEM)
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(kubeconfig.clientCertificatePEM.utf8)).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(kubeconfig.clientKeyPEM.utf8), format: .pem))
        return tls
    }

    /// TLS 1.2 or later, trusting the cluster CA alone.
    private static func tls(trusting certificateAuthorityPEM: String) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificateAuthorityPEM.utf8)))
        // Closing a connection whose watch is still streaming gets no close_notify back until
        // the server's stream ends; do not wait the default 5 s for it.
        tls.shutdownTimeout = .milliseconds(250)
        return tls
    }

    public convenience init(kubeconfigPath: String, connections: Int = 8) throws {
        try self.init(kubeconfig: Kubeconfig.parse(String(contentsOfFile: kubeconfigPath, encoding: .utf8)), connections: connections)
    }

    public func shutdown() async throws {
        let (current, retired) = clients.withLock { ($0.current, $0.retired) }
        for client in retired { try? await client.shutdown() }
        try await current.shutdown()
    }

    /// Sends one request and reads the whole answer.
    public func request(
        _ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = "application/json",
        headers: [(String, String)] = [], timeout: Duration = .seconds(30)
    ) async throws -> Response {
        let response = try await execute(method, path, body: body, contentType: contentType, headers: headers, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Response(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Array(buffer.readableBytesView))
    }

    /// Sends a JSON body (or none) and reads the whole answer.
    public func request(_ method: String, _ path: String, json: JSONValue?, contentType: String = "application/json") async throws -> Response {
        try await request(method, path, body: json.map(JSONSerializer.bytes), contentType: contentType)
    }

    /// Opens a watch and yields its events (one JSON object per line) until the server ends it.
    public func watch(_ path: String, headers: [(String, String)] = []) async throws -> AsyncThrowingStream<JSONValue, any Error> {
        let response = try await execute("GET", path, body: nil, contentType: nil, headers: headers, timeout: .seconds(3600))
        guard response.status == .ok else {
            let buffer = try await response.body.collect(upTo: 1 << 20)
            throw ClientError(status: Int(response.status.code), body: Array(buffer.readableBytesView))
        }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: JSONValue.self)
        let task = Task {
            var pending: [UInt8] = []
            do {
                for try await chunk in response.body {
                    pending.append(contentsOf: chunk.readableBytesView)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = Array(pending[..<newline])
                        pending.removeSubrange(...newline)
                        if !line.isEmpty { continuation.yield(try JSONParser.parse(line)) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func execute(
        _ method: String, _ path: String, body: [UInt8]?, contentType: String?, headers: [(String, String)], timeout: Duration
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: server + path)
        request.method = HTTPMethod(rawValue: method)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return try await http.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
    }
}

/// A non-success answer where one was required.
public struct ClientError: Error, CustomStringConvertible {
    public let status: Int
    public let body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// The server's `metav1.Status` message when it sent one, else the start of the body.
    public var description: String {
        if let message = (try? JSONParser.parse(body))?["message"]?.stringValue { return "the server refused (HTTP \(status)): \(message)" }
        return "HTTP \(status): \(String(decoding: body.prefix(500), as: UTF8.self))"
    }
}
