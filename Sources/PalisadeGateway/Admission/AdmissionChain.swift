import PalisadeAPI
import PalisadeAdmission
import PalisadeAuth
import PalisadeStore

/// The admission plugins every write passes, in Kubernetes' order: NamespaceLifecycle, the
/// mutating ones (ServiceAccount, LimitRanger's defaults and bounds, DefaultTolerationSeconds), then the validating
/// ones (the service account exists, PodSecurity, RBAC escalation prevention, ResourceQuota
/// last; certificate signing requests' requester and approval rules beside them).
/// NodeRestriction (a node creates only its own Node and Lease) comes first among them.
public struct AdmissionChain: Sendable {
    public let mutators: [any MutatingAdmission]
    public let checks: [any AdmissionCheck]
    /// The quota records the chain charges, for the recounter.
    public let quotas: QuotaLedger
    /// What the chain reads on every create, cached; the guarded registry must report its
    /// writes to it (it is a ``WriteObserver``).
    public let reads: AdmissionReads
    let serviceAccounts: ServiceAccountGuard

    /// - Parameters:
    ///   - escalation: RBAC escalation prevention, which needs the server's policy cache.
    ///   - authorizer: decides who may approve certificate signing requests.
    public init(store: any Store, podSecurity: PodSecurityConfiguration, escalation: (any AdmissionCheck)?, authorizer: (any Authorizer)? = nil) {
        reads = AdmissionReads(store: ObjectRegistry(store: store))
        // The chain's own writes (default accounts, quota status) go through here, so the cache hears of them.
        let reader = ObjectRegistry(store: store, observers: [reads])
        let lifecycle = NamespaceLifecycleGuard(reads: reads)
        let limitRanger = LimitRangeGuard(reads: reads)
        serviceAccounts = ServiceAccountGuard(reads: reads, lifecycle: lifecycle, writer: reader)
        quotas = QuotaLedger(reader: reader, reads: reads)
        let certificates = authorizer.map { CertificateSigningGuard(authorizer: $0) }
        mutators = [lifecycle, serviceAccounts, limitRanger, DefaultTolerationSeconds()] + (certificates.map { [$0] } ?? [])
        checks = [
            NodeRestriction(),
            serviceAccounts,
            PodSecurityGuard(admission: PodSecurityAdmission(configuration: podSecurity), reads: reads, reader: reader),
        ] + (escalation.map { [$0] } ?? []) + (certificates.map { [$0] } ?? []) + [QuotaGuard(ledger: quotas)]
    }

    /// Gives every active namespace its `default` ServiceAccount (namespaces created before
    /// this server version, or whose account was deleted while it was down).
    public func provideServiceAccounts(_ registry: ObjectRegistry) async throws(APIError) {
        for namespace in try await registry.list(NamespaceRules.definition, namespace: nil, options: ListOptions()).items
        where !NamespaceLifecycleGuard.isTerminating(namespace) {
            try await serviceAccounts.ensureDefault(in: namespace.name ?? "")
        }
    }
}
