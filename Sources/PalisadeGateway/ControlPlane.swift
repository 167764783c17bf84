import Foundation
import Logging
import PalisadeAPI
import PalisadeAdmission
import PalisadeAudit
import PalisadeAuth
import PalisadeSecrets
import PalisadeStore
import ServiceLifecycle

/// What the server signs client certificates with, and for how long at most.
public struct CertificateSigning: Sendable {
    public let authority: CertificateAuthority
    public let maximumValidity: TimeInterval

    public init(authority: CertificateAuthority, maximumValidity: TimeInterval) {
        self.authority = authority
        self.maximumValidity = maximumValidity
    }
}

/// The API server's parts, assembled in one place for `palisade server` and the tests:
/// the registry, the RBAC policy cache it reports writes to, the authorizer chain
/// (system:masters, the Node authorizer, tenant guard rails, then RBAC), the ``AdmissionChain``, the gateway, and the services
/// that keep them running.
public struct ControlPlane: Sendable {
    public let registry: ObjectRegistry
    public let rbac: RBACPolicyCache
    public let gateway: Gateway
    /// In start order: the audit log, the RBAC cache, the ClusterRole aggregator, the quota
    /// recounter, the service address releaser, the node client approver and the certificate
    /// signer, the gateway, the bootstrap listener.
    public let services: [any Service]

    /// Bootstraps the store (system namespaces, the default policies of `policiesDirectory`
    /// when given) and builds the parts. `encryption` administers the keys of an
    /// ``EncryptingStore`` (which `store` then is) through the API; `podSecurity` holds the
    /// cluster's Pod Security defaults and exemptions; `auditor` the audit policy and log;
    /// `signer` the CA that answers approved client-certificate requests; `serviceNetwork` the
    /// ranges Services get their cluster IPs and node ports from; `bootstrapListener`, when
    /// given, where nodes join with a bootstrap token (``BootstrapListener``).
    public init(
        store: any Store,
        gateway configuration: GatewayConfiguration,
        policiesDirectory: String?,
        encryption: EncryptionAdministrator? = nil,
        podSecurity: PodSecurityConfiguration = PodSecurityConfiguration(),
        auditor: RequestAuditor,
        signer: CertificateSigning? = nil,
        quotaRecountInterval: Duration = .seconds(5),
        serviceNetwork: ServiceNetwork = .standard,
        serviceRepairInterval: Duration = .seconds(60),
        bootstrapListener: BootstrapListenerConfiguration? = nil,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let rbac = RBACPolicyCache(store: store, logger: logger)
        let rbacAuthorizer = RBACAuthorizer(policy: { await rbac.current() })
        let namespaces = ObjectRegistry(store: store)
        let tenantGuardRails = TenantGuardRails(clusterWide: rbacAuthorizer) { name in
            do {
                return try await namespaces.get(NamespaceRules.definition, namespace: nil, name: name)
            } catch let error as APIError where error.code == 404 {
                return nil
            }
        }
        let pods = ServedResources.lookup(group: "", version: "v1", resource: "pods")!
        let nodeAuthorizer = NodeAuthorizer { node in
            var options = ListOptions()
            options.fieldSelector = try FieldSelector.parse("spec.nodeName=\(node)")
            return try await namespaces.list(pods, namespace: nil, options: options).items
        } certificateRequest: { name in
            do {
                return try await namespaces.get(CertificateRequestFeed.requests, namespace: nil, name: name)
            } catch let error as APIError where error.code == 404 {
                return nil
            }
        }
        let authorizer = UnionAuthorizer([SystemMastersAuthorizer(), nodeAuthorizer, tenantGuardRails, rbacAuthorizer])
        let admission = AdmissionChain(
            store: store, podSecurity: podSecurity, escalation: EscalationGuard(rbac: rbac, authorizer: authorizer), authorizer: authorizer
        )
        let allocations = ServiceAllocations(store: store)
        let addresses = ServiceAddressAllocator(network: serviceNetwork, allocations: allocations)
        // Addresses are reserved by the last mutator; as the first check, the allocator hears
        // of every refusal after that and gives them back.
        let registry = ObjectRegistry(
            store: store, observers: [rbac, admission.reads], mutators: admission.mutators + [addresses], admission: [addresses] + admission.checks
        )
        try await registry.bootstrap()
        try await admission.provideServiceAccounts(registry)
        if let policiesDirectory { try await PolicyBootstrap(directory: policiesDirectory).reconcile(with: registry) }
        try await ClusterRoleAggregator.aggregate(registry, logger: logger)
        let revocations = try await Revocations(store: store)
        let gateway = try Gateway(
            configuration: configuration, registry: registry, authorizer: authorizer,
            rbacPolicy: { await rbac.current() },
            auditor: auditor, revocations: revocations, encryption: encryption, logger: logger, onServerRunning: onServerRunning
        )
        self.registry = registry
        self.rbac = rbac
        self.gateway = gateway
        services = [
            auditor.log,
            rbac,
            ClusterRoleAggregator(registry: registry, rbac: rbac, logger: logger),
            QuotaRecounter(ledger: admission.quotas, interval: quotaRecountInterval, logger: logger),
            ServiceAddressReleaser(registry: registry, allocations: allocations, repairInterval: serviceRepairInterval, logger: logger),
        ] + (signer.map { [
            NodeClientApprover(registry: registry, logger: logger),
            CertificateSigner(registry: registry, authority: $0.authority, maximumValidity: $0.maximumValidity, logger: logger),
        ] } ?? []) + [
            gateway,
        ] + (try bootstrapListener.map { [
            try BootstrapListener(configuration: $0, gateway: gateway, gatewayConfiguration: configuration, logger: logger),
        ] } ?? [])
    }
}
