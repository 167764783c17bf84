import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import PalisadeAuth
import ServiceLifecycle

/// The agent's own HTTPS endpoint (the kubelet's port): container logs for `pods/log`. Only
/// the API server may call it: the client certificate must chain to the cluster CA and name
/// ``AgentEndpoint/apiServerClient``; anyone else is refused in the handshake or with 403.
struct AgentEndpoint: Service {
    /// The common name of the API server's client certificate for nodes.
    static let apiServerClient = ClusterPKI.kubeletClientUser

    let application: Application<RouterResponder<EndpointContext>>

    init(host: String, port: Int, identity: ServingIdentity, clusterCAPEM: String, logs: ContainerLogs, logger: Logger,
         onRunning: @escaping @Sendable (Int) async -> Void) throws {
        let router = Router(context: EndpointContext.self)
        router.add(middleware: CallerCheck())
        router.get("containerLogs/:namespace/:pod/:container") { request, context in
            try await logs.response(for: request, context: context)
        }
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(identity.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(identity.keyPEM.utf8), format: .pem)),
            trustRoots: .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clusterCAPEM.utf8)))
        )
        tls.certificateVerification = .noHostnameVerification
        tls.minimumTLSVersion = .tlsv12
        application = Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    func run() async throws {
        try await application.run()
    }
}

/// A request to the endpoint, with its connection (for the client certificate).
struct EndpointContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Lets through only the API server's client certificate.
private struct CallerCheck: RouterMiddleware {
    func handle(_ request: Request, context: EndpointContext, next: (Request, EndpointContext) async throws -> Response) async throws -> Response {
        let certificate = try? await context.channel.nioSSL_peerCertificate().get()
        guard let der = try? certificate?.toDERBytes(), let user = ClientCertificateAuthenticator().user(fromDER: der),
              user.name == AgentEndpoint.apiServerClient
        else {
            throw HTTPError(.forbidden, message: "only the API server may call the node agent")
        }
        return try await next(request, context)
    }
}
