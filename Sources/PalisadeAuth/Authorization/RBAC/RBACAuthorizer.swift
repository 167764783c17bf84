/// Kubernetes' RBAC authorizer over an ``RBACPolicy`` snapshot.
///
/// It allows a request when some rule granted to the user allows it, and otherwise has no
/// opinion: RBAC never denies, so a request nobody allows is denied by the chain's default.
/// Cluster-scoped and non-resource requests (empty namespace) consult ClusterRoleBindings
/// only; namespaced requests also consult the RoleBindings of their namespace.
///
/// Reasons follow Kubernetes:
/// - allowed: `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "alice"`;
/// - no opinion: `""`, or `RBAC: ` followed by the resolution errors of bindings that name the
///   user but grant nothing (`clusterrole.rbac.authorization.k8s.io "y" not found`), which
///   Kubernetes appends to its 403 message.
public struct RBACAuthorizer: Authorizer {
    /// Returns the current snapshot; called once per decision.
    public let policy: @Sendable () async -> RBACPolicy

    /// - Parameter policy: the snapshot provider, typically reading a watch-fed cache.
    public init(policy: @escaping @Sendable () async -> RBACPolicy) {
        self.policy = policy
    }

    /// An authorizer over a fixed snapshot.
    public init(_ snapshot: RBACPolicy) {
        self.init(policy: { snapshot })
    }

    /// Evaluates `attributes` against the current snapshot.
    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        await policy().authorize(attributes)
    }

    /// The user's rules in `namespace`, for SelfSubjectRulesReview.
    public func rules(for user: UserInfo, namespace: String) async -> (resourceRules: [PolicyRule], nonResourceRules: [PolicyRule]) {
        await policy().rules(for: user, namespace: namespace)
    }
}

extension RBACPolicy {
    /// The RBAC decision for `attributes` on this snapshot: `.allow` naming the first binding
    /// whose rule allows the request, else `.noOpinion`. Never `.deny`.
    public func authorize(_ attributes: AuthorizationAttributes) -> AuthorizationDecision {
        var allowedBy: RuleSource?
        let errors = visitRules(for: attributes.user, namespace: attributes.namespace) { source, rule in
            guard rule.allows(attributes) else { return true }
            allowedBy = source
            return false
        }
        if let allowedBy {
            return .allow(reason: "RBAC: allowed by \(allowedBy)")
        }
        return .noOpinion(reason: Self.reason(for: errors))
    }

    /// Kubernetes' aggregate-error wording: one error as is, several in brackets; repeated
    /// messages are shown once.
    static func reason(for errors: [ResolutionError]) -> String {
        var seen: Set<String> = []
        let messages = errors.map(\.description).filter { seen.insert($0).inserted }
        switch messages.count {
        case 0: return ""
        case 1: return "RBAC: \(messages[0])"
        default: return "RBAC: [\(messages.joined(separator: ", "))]"
        }
    }
}
