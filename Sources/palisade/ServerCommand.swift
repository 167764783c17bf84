import ArgumentParser
import Foundation
import Logging
import PalisadeAPI
import PalisadeAdmission
import PalisadeAudit
import PalisadeAuth
import PalisadeControllers
import PalisadeGateway
import PalisadeSecrets
import PalisadeStore
import ServiceLifecycle
import UnixSignals

/// `palisade server`: the API server with its store, on the embedded SQLite backend.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "server", abstract: "Run the API server.")

    @Option(help: "Directory for the database, the PKI and the admin kubeconfig.")
    var dataDir = "var"

    @Option(help: "Address to listen on, host:port.")
    var listen = ListenAddress(argument: "127.0.0.1:6443")!

    @Option(help: ArgumentHelp(
        "Address of the bootstrap listener, host:port, where nodes join with a bootstrap token (kauth token create); off when not given.",
        valueName: "host:port"
    ))
    var bootstrapListen: ListenAddress?

    @Option(name: .customLong("san"), help: "Extra DNS name or IP address for the serving certificate (repeatable).")
    var subjectAlternativeNames: [String] = []

    @Option(help: "Directory of the default policies (RBAC roles and bindings under rbac/, pod-security.yaml).")
    var policies = "policies"

    @Option(help: "PodSecurityConfiguration file: cluster defaults and exemptions (default: <policies>/pod-security.yaml).")
    var podSecurityConfig: String?

    @Option(help: "Seconds between compactions of the store's history.")
    var compactionInterval = 300

    @Option(
        name: [.customLong("encryption-config"), .customLong("encryption-provider-config")],
        help: "EncryptionConfiguration file (default: <data-dir>/pki/encryption-config.yaml, created with a new secretbox key for Secrets)."
    )
    var encryptionConfig: String?

    @Option(help: "audit.k8s.io/v1 Policy file (default: <policies>/audit-policy.yaml).")
    var auditPolicyFile: String?

    @Option(help: "The audit log (default: <data-dir>/audit/audit.log); rotated files sit beside it.")
    var auditLogPath: String?

    @Option(help: "Megabytes of audit log before it is rotated; 0 never rotates.")
    var auditLogMaxsize = 100

    @Option(help: "Rotated audit log files kept; 0 keeps any number.")
    var auditLogMaxbackup = 100

    @Option(help: "Days a rotated audit log file is kept; 0 keeps it regardless of age.")
    var auditLogMaxage = 366

    @Option(help: "Longest validity, in hours, of a client certificate the server signs for an approved request.")
    var clusterSigningDurationHours = 8760

    @Option(help: "IPv4 CIDR the Services' cluster IPs come from.")
    var serviceClusterIPRange = "10.96.0.0/16"

    @Option(help: "Node ports of NodePort and LoadBalancer Services, FIRST-LAST.")
    var serviceNodePortRange = "30000-32767"

    @Flag(help: "fsync every write (survives power loss, slower); by default a commit survives a crash of the process.")
    var syncEveryWrite = false

    func run() async throws {
        var logger = Logger(label: "palisade")
        logger.logLevel = .info
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let lock = try DataDirectoryLock.acquire(directory: dataDir) else {
            throw ValidationError("another palisade process is using \(dataDir)")
        }
        let pki = try ClusterPKI.loadOrCreate(directory: dataDir + "/pki", serverNames: serverNames())
        let encryptionFile = EncryptionConfigFile(path: encryptionConfig ?? EncryptionSetup.defaultConfigPath(dataDir: dataDir))
        let encryption = try encryptionConfig == nil ? encryptionFile.loadOrCreateDefault() : encryptionFile.load()
        var storeConfiguration = SQLiteStoreConfiguration()
        storeConfiguration.synchronousFull = syncEveryWrite
        let sqlite = try SQLiteStore(path: dataDir + "/store.db", configuration: storeConfiguration)
        defer { sqlite.close() }
        let store = EncryptingStore(base: sqlite, configuration: encryption)
        let gatewayConfiguration = GatewayConfiguration(
            host: listen.host, port: listen.port, certificatePath: pki.serverCertificatePath,
            privateKeyPath: pki.serverKeyPath, clientCAPath: pki.caCertificatePath
        )
        let auditor = try RequestAuditor.open(
            policy: try auditPolicy(logger: logger), log: auditLogConfiguration(), keysDirectory: dataDir + "/pki", logger: logger
        )
        let serviceNetwork: ServiceNetwork
        do {
            serviceNetwork = try ServiceNetwork(clusterIPRange: serviceClusterIPRange, nodePortRange: serviceNodePortRange)
        } catch {
            throw ValidationError(error.message)
        }
        let kubeconfigPath = dataDir + "/admin.kubeconfig"
        let listen = self.listen
        let serverAddress = ServerAddress()
        let controlPlane = try await ControlPlane(
            store: store, gateway: gatewayConfiguration, policiesDirectory: try defaultPolicies(logger: logger),
            encryption: EncryptionAdministrator(store: store, file: encryptionFile),
            podSecurity: try podSecurityConfiguration(logger: logger), auditor: auditor,
            signer: CertificateSigning(authority: pki.authority, maximumValidity: TimeInterval(clusterSigningDurationHours) * 3600),
            serviceNetwork: serviceNetwork, bootstrapListener: bootstrapListenerConfiguration(), logger: logger
        ) { port in
            serverAddress.set(listen.url(port: port))
            do {
                try PEMFile.write(try pki.adminKubeconfig(server: listen.url(port: port)).yaml(), to: kubeconfigPath, mode: 0o600)
                print("palisade: API server ready at \(listen.url(port: port)); admin kubeconfig: \(kubeconfigPath)")
            } catch {
                print("palisade: API server ready at \(listen.url(port: port)); cannot write \(kubeconfigPath): \(error)")
            }
            fflush(nil)
        }
        let compactor = Compactor(store: sqlite, interval: .seconds(compactionInterval), logger: logger)
        let controllers = ControllerManager(authority: pki.authority, server: serverAddress, logger: logger)
        let services = ServiceGroup(
            configuration: .init(
                services: ([compactor] + controlPlane.services + [controllers]).map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await services.run()
        withExtendedLifetime(lock) {}
    }

    /// The bootstrap listener, when `--bootstrap-listen` asks for one; it says where it listens once it does.
    private func bootstrapListenerConfiguration() -> BootstrapListenerConfiguration? {
        guard let address = bootstrapListen else { return nil }
        return BootstrapListenerConfiguration(host: address.host, port: address.port) { port in
            print("palisade: bootstrap listener ready at \(address.url(port: port))")
            fflush(nil)
        }
    }

    /// The directory of the default RBAC roles and bindings; without them only system:masters
    /// is authorized, so a missing directory is reported, not fatal.
    private func defaultPolicies(logger: Logger) throws -> String? {
        let directory = policies + "/rbac"
        guard FileManager.default.fileExists(atPath: directory) else {
            logger.warning("no default RBAC policy found; only system:masters is authorized", metadata: ["directory": "\(directory)"])
            return nil
        }
        return directory
    }

    /// The cluster's Pod Security defaults and exemptions. A malformed file stops the server;
    /// without the default file, Kubernetes' defaults (privileged everywhere) apply, loudly.
    private func podSecurityConfiguration(logger: Logger) throws -> PodSecurityConfiguration {
        let path = podSecurityConfig ?? policies + "/pod-security.yaml"
        guard podSecurityConfig != nil || FileManager.default.fileExists(atPath: path) else {
            logger.warning("no Pod Security configuration found; namespaces without labels are not restricted", metadata: ["file": "\(path)"])
            return PodSecurityConfiguration()
        }
        return try PodSecurityConfiguration.load(path: path)
    }

    /// The audit policy; without the default file every request is recorded at Metadata (a
    /// server never runs unaudited), loudly.
    private func auditPolicy(logger: Logger) throws -> AuditPolicy {
        let path = auditPolicyFile ?? policies + "/audit-policy.yaml"
        guard auditPolicyFile != nil || FileManager.default.fileExists(atPath: path) else {
            logger.warning("no audit policy found; every request is recorded at Metadata", metadata: ["file": "\(path)"])
            return AuditPolicy(rules: [.init(level: .metadata)])
        }
        return try AuditPolicy.load(path: path)
    }

    private func auditLogConfiguration() throws -> AuditLogConfiguration {
        guard auditLogMaxsize >= 0, auditLogMaxbackup >= 0, auditLogMaxage >= 0 else {
            throw ValidationError("--audit-log-maxsize, --audit-log-maxbackup and --audit-log-maxage must not be negative")
        }
        var configuration = AuditLogConfiguration(path: auditLogPath ?? dataDir + "/audit/audit.log")
        configuration.maxSize = auditLogMaxsize * 1024 * 1024
        configuration.maxBackups = auditLogMaxbackup
        configuration.maxAgeDays = auditLogMaxage
        return configuration
    }

    /// The serving certificate's names: loopback, this host, the listen address and `--san` values.
    private func serverNames() -> [String] {
        var names = ["127.0.0.1", "::1", "localhost"]
        if let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init), !host.isEmpty { names.append(host) }
        for host in [listen.host] + (bootstrapListen.map { [$0.host] } ?? []) where !["0.0.0.0", "::"].contains(host) { names.append(host) }
        names += subjectAlternativeNames
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
