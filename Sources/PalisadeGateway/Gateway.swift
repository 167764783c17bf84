import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import PalisadeAPI
import PalisadeAudit
import PalisadeAuth
import PalisadeSecrets
import PalisadeStore
import ServiceLifecycle

/// The API server: the mTLS listener and the request pipeline in front of the registry.
public struct Gateway: Service {
    let application: Application<Pipeline>
    /// The request pipeline, which the bootstrap listener serves a narrowed copy of.
    let pipeline: Pipeline

    /// - Parameters:
    ///   - authorizer: decides every request; there is no default and no pass-through.
    ///   - rbacPolicy: the current RBAC policy, for SelfSubjectRulesReview and the namespaces a user may see.
    ///   - auditor: the audit policy and log every request is recorded in.
    ///   - revocations: client certificates refused at the handshake.
    ///   - encryption: key rotation and status for encryption at rest, when the store encrypts.
    ///   - onServerRunning: called with the bound port once the listener accepts connections.
    public init(
        configuration: GatewayConfiguration,
        registry: ObjectRegistry,
        authorizer: any Authorizer,
        rbacPolicy: @escaping @Sendable () async -> RBACPolicy,
        auditor: RequestAuditor,
        revocations: Revocations,
        encryption: EncryptionAdministrator? = nil,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws {
        pipeline = Pipeline(
            auditor: auditor,
            authentication: AuthenticationStage(authenticator: ClientCertificateAuthenticator()),
            impersonation: ImpersonationStage(authorizer: authorizer),
            authorization: AuthorizationStage(authorizer: authorizer),
            namespaceVisibility: NamespaceVisibility(policy: rbacPolicy),
            resources: ResourceHandler(
                registry: registry,
                reviews: ReviewHandler(authorizer: authorizer, rules: { user, namespace in await rbacPolicy().rules(for: user, namespace: namespace) }),
                configuration: configuration
            ),
            discovery: DiscoveryHandler(),
            openAPI: OpenAPIHandler(),
            health: HealthHandler(store: registry.store),
            encryption: EncryptionHandler(administrator: encryption),
            auditQueries: AuditQueryHandler(log: auditor.log, followTimeout: configuration.defaultWatchTimeout),
            certificates: CertificateAdminHandler(issued: IssuedCertificates(store: registry.store), revocations: revocations)
        )
        let tls = try NIOSSLContext(configuration: ServerTLS.configuration(configuration))
        let log = auditor.log
        application = Application(
            responder: pipeline,
            server: HTTPServerBuilder { responder in
                RevocationCheckingTLSChannel(
                    base: HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [HandshakeAuditHandler(log: log)])),
                    context: tls, revocations: revocations
                )
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    public func run() async throws {
        try await application.run()
    }
}
