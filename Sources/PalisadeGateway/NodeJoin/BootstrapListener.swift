import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Where the bootstrap listener binds, and whom to tell once it accepts connections.
public struct BootstrapListenerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Called with the bound port once the listener accepts connections.
    public var onServerRunning: @Sendable (Int) async -> Void

    public init(host: String = "127.0.0.1", port: Int = 6444, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.host = host
        self.port = port
        self.onServerRunning = onServerRunning
    }
}

/// The listener nodes join through, beside the gateway: TLS with the gateway's serving
/// certificate but no client certificate asked for, and each request authenticated by a
/// bootstrap token (``BootstrapTokenAuthentication``). Behind that it runs the gateway's own
/// pipeline (audit, authorization, admission, registry), narrowed to creating and reading
/// CertificateSigningRequests (``ListenerScope/certificateSigningRequests``). The gateway
/// itself is unchanged: it still refuses any connection without a client certificate.
public struct BootstrapListener: Service {
    let application: Application<Pipeline>

    public init(configuration: BootstrapListenerConfiguration, gateway: Gateway, gatewayConfiguration: GatewayConfiguration, logger: Logger) throws {
        let pipeline = gateway.pipeline.serving(
            .certificateSigningRequests, authentication: BootstrapTokenAuthentication(registry: gateway.pipeline.resources.registry)
        )
        let tls = try ServerTLS.serverOnly(gatewayConfiguration)
        let log = pipeline.auditor.log
        let announce = configuration.onServerRunning
        let port = configuration.port
        application = Application(
            responder: pipeline,
            server: HTTPServerBuilder { responder in
                try TLSChannel(
                    HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [HandshakeAuditHandler(log: log)])),
                    tlsConfiguration: tls
                )
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await announce(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    public func run() async throws {
        try await application.run()
    }
}
