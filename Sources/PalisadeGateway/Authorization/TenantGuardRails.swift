import PalisadeAPI
import PalisadeAuth

/// A tenant's guard rails belong to the cluster administrators, not to the tenant's owner.
///
/// In a namespace labelled `palisade.dev/tenant` (made by `kauth tenant create`), writes of
/// ResourceQuotas, LimitRanges and NetworkPolicies, and any write of the namespace object
/// itself (its Pod Security labels), are denied unless the user may make the same write
/// cluster-wide. The owner's `admin` binding grants those writes inside the namespace only,
/// so it cannot loosen the quota, lift the limits, open ingress to other namespaces (a new
/// allowing NetworkPolicy would) or relabel the namespace `privileged`.
///
/// An authorizer rather than an admission check because deletes must be guarded too, and
/// a deny here stands whatever RBAC grants.
struct TenantGuardRails: Authorizer {
    static let tenantLabel = "palisade.dev/tenant"
    static let guardedResources: Set<String> = ["/resourcequotas", "/limitranges", "networking.k8s.io/networkpolicies"]
    static let writeVerbs: Set<String> = ["create", "update", "patch", "delete", "deletecollection"]

    /// Decides whether the user is a cluster administrator for the write (asked with no namespace).
    let clusterWide: any Authorizer
    /// Reads a namespace object; nil when there is none. A failed read denies the write
    /// (fail closed).
    let namespace: @Sendable (String) async throws -> JSONValue?

    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        guard attributes.isResourceRequest, Self.writeVerbs.contains(attributes.verb), !attributes.namespace.isEmpty else {
            return .noOpinion(reason: "")
        }
        let isNamespaceObject = attributes.apiGroup.isEmpty && attributes.resource == "namespaces"
        guard isNamespaceObject || Self.guardedResources.contains("\(attributes.apiGroup)/\(attributes.resource)") else {
            return .noOpinion(reason: "")
        }
        let tenant: String?
        do {
            tenant = try await namespace(attributes.namespace)?.labels[Self.tenantLabel]
        } catch {
            return .deny(reason: "Palisade: cannot tell whether namespace \"\(attributes.namespace)\" is a tenant")
        }
        guard let tenant else { return .noOpinion(reason: "") }
        var asAdministrator = attributes
        asAdministrator.namespace = ""
        if case .allow = await clusterWide.authorize(asAdministrator) { return .noOpinion(reason: "") }
        let what = isNamespaceObject ? "the namespace" : attributes.resource
        return .deny(reason: "Palisade: \(what) of tenant \"\(tenant)\" may be changed only by cluster administrators")
    }
}
