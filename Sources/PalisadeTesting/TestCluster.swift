import Foundation
import Logging
import PalisadeAPI
import PalisadeAdmission
import PalisadeAudit
import PalisadeAuth
import PalisadeClient
import PalisadeGateway
import PalisadeSecrets
import PalisadeStore
import ServiceLifecycle

/// A real API server for tests: a fresh PKI and store in a temporary directory, the gateway
/// on a loopback port chosen by the kernel, and clients with certificates for any user.
public final class TestCluster: Sendable {
    public let directory: String
    public let pki: ClusterPKI
    /// The database, below encryption at rest: values as they are stored.
    public let store: SQLiteStore
    public let registry: ObjectRegistry
    public let port: Int
    /// The bootstrap listener's port, when the cluster was started with one.
    public let bootstrapPort: Int?
    public let admin: PalisadeClient

    init(directory: String, pki: ClusterPKI, store: SQLiteStore, registry: ObjectRegistry, port: Int, bootstrapPort: Int?, admin: PalisadeClient) {
        self.directory = directory
        self.pki = pki
        self.store = store
        self.registry = registry
        self.port = port
        self.bootstrapPort = bootstrapPort
        self.admin = admin
    }

    public var server: String { "https://127.0.0.1:\(port)" }

    /// The audit log of the cluster, and the directory of its keys.
    public var auditLogPath: String { directory + "/audit/audit.log" }
    public var auditKeysDirectory: String { directory + "/pki" }

    /// A client whose certificate names `user` and `groups`, signed by the cluster CA.
    public func client(user: String, groups: [String] = []) throws -> PalisadeClient {
        let (certificate, key) = try pki.authority.issueClient(user: user, groups: groups, validity: 3600)
        return try PalisadeClient(kubeconfig: Kubeconfig(
            clusterName: "test", server: server, certificateAuthorityPEM: try pki.authority.certificatePEM, userName: user,
            clientCertificatePEM: certificate, clientKeyPEM: key
        ))
    }

    /// Runs `body` against a fresh cluster and tears everything down afterwards;
    /// `bookmarkInterval` is short so tests see watch bookmarks quickly. Secrets are
    /// encrypted at rest as on a real server's first start; `podSecurity` is the cluster's
    /// Pod Security configuration (Kubernetes' defaults unless given); `auditPolicy` the audit
    /// policy (the repository's `policies/audit-policy.yaml` unless given); with
    /// `bootstrapListener`, nodes can join through a bootstrap listener on another loopback port.
    public static func with<T: Sendable>(
        bookmarkInterval: Duration = .milliseconds(300), podSecurity: PodSecurityConfiguration = PodSecurityConfiguration(),
        auditPolicy: AuditPolicy? = nil, bootstrapListener: Bool = false,
        _ body: @Sendable (TestCluster) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pki = try ClusterPKI.loadOrCreate(directory: directory + "/pki", serverNames: ["127.0.0.1", "localhost"])
        let store = try SQLiteStore(path: directory + "/store.db")
        defer { store.close() }
        let encryptionFile = EncryptionConfigFile(path: directory + "/pki/encryption-config.yaml")
        let encryptingStore = EncryptingStore(base: store, configuration: try encryptionFile.loadOrCreateDefault())
        var logger = Logger(label: "palisade-test")
        logger.logLevel = .error
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let (bootstrapPorts, bootstrapPortSink) = AsyncStream.makeStream(of: Int.self)
        var configuration = GatewayConfiguration(
            host: "127.0.0.1", port: 0, certificatePath: pki.serverCertificatePath,
            privateKeyPath: pki.serverKeyPath, clientCAPath: pki.caCertificatePath
        )
        configuration.bookmarkInterval = bookmarkInterval
        var auditLog = AuditLogConfiguration(path: directory + "/audit/audit.log")
        auditLog.checkpointInterval = .seconds(1)
        let auditor = try RequestAuditor.open(
            policy: try auditPolicy ?? AuditPolicy.load(path: defaultAuditPolicy), log: auditLog, keysDirectory: directory + "/pki", logger: logger
        )
        let controlPlane = try await ControlPlane(
            store: encryptingStore, gateway: configuration, policiesDirectory: defaultPolicies,
            encryption: EncryptionAdministrator(store: encryptingStore, file: encryptionFile), podSecurity: podSecurity, auditor: auditor,
            signer: CertificateSigning(authority: pki.authority, maximumValidity: 24 * 3600), quotaRecountInterval: .milliseconds(500),
            bootstrapListener: bootstrapListener ? BootstrapListenerConfiguration(port: 0) { bootstrapPortSink.yield($0) } : nil, logger: logger
        ) { port in portSink.yield(port) }
        let registry = controlPlane.registry
        let group = ServiceGroup(configuration: .init(services: controlPlane.services.map { .init(service: $0) }, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestClusterError("the gateway did not start") }
            var bootstrapPort: Int?
            if bootstrapListener {
                var bootstrapIterator = bootstrapPorts.makeAsyncIterator()
                guard let bound = await bootstrapIterator.next() else { throw TestClusterError("the bootstrap listener did not start") }
                bootstrapPort = bound
            }
            let admin = try PalisadeClient(kubeconfig: try pki.adminKubeconfig(server: "https://127.0.0.1:\(port)"))
            let cluster = TestCluster(
                directory: directory, pki: pki, store: store, registry: registry, port: port, bootstrapPort: bootstrapPort, admin: admin
            )
            do {
                let result = try await body(cluster)
                try await admin.shutdown()
                await group.triggerGracefulShutdown()
                return result
            } catch {
                try? await admin.shutdown()
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }
}

/// The repository's `policies/rbac`, so tests see the defaults a real server starts with.
let defaultPolicies = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("policies/rbac").path

/// The repository's default audit policy.
let defaultAuditPolicy = URL(fileURLWithPath: defaultPolicies).deletingLastPathComponent().appendingPathComponent("audit-policy.yaml").path

struct TestClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
