/// Which rules apply to a user in a namespace, following Kubernetes' `VisitRulesFor`:
///
/// 1. every ClusterRoleBinding that names the user (its ClusterRole applies everywhere);
/// 2. when `namespace` is not empty, every RoleBinding of that namespace that names the user.
///    A RoleBinding to a ClusterRole grants that ClusterRole's rules in this namespace only,
///    so its cluster-scoped and non-resource rules never match a request.
///
/// A binding names the user through a `User` subject (exact name), a `Group` subject (one of
/// the user's groups) or a `ServiceAccount` subject (the user `system:serviceaccount:NS:NAME`,
/// NS defaulting to a RoleBinding's namespace). A binding whose role is missing grants
/// nothing; the reason is reported as a resolution error.
extension RBACPolicy {
    /// The binding and subject a rule was granted through, described as Kubernetes does:
    /// `ClusterRoleBinding "x" of ClusterRole "y" to User "alice"` or
    /// `RoleBinding "x/ns" of Role "y" to ServiceAccount "sa/ns"`.
    public struct RuleSource: Sendable, Hashable, CustomStringConvertible {
        /// The binding that granted the rule.
        public var binding: Binding
        /// The binding's first subject naming the user.
        public var subject: Subject

        public init(binding: Binding, subject: Subject) {
            self.binding = binding
            self.subject = subject
        }

        /// The description used in `RBAC: allowed by …` reasons.
        public var description: String {
            let bindingName = binding.isClusterRoleBinding
                ? "ClusterRoleBinding \"\(binding.name)\""
                : "RoleBinding \"\(binding.name)/\(binding.namespace)\""
            return "\(bindingName) of \(binding.roleRef.kind) \"\(binding.roleRef.name)\" to "
                + subject.describe(bindingNamespace: binding.namespace)
        }
    }

    /// Calls `visit` with each rule that applies to `user` in `namespace` (`""` for
    /// cluster-scoped requests), cluster bindings first, each group in binding-name order.
    /// Visiting stops when `visit` returns `false`.
    ///
    /// - Returns: the resolution errors met on the way (bindings whose role is missing).
    @discardableResult
    public func visitRules(
        for user: UserInfo, namespace: String, _ visit: (RuleSource, PolicyRule) -> Bool
    ) -> [ResolutionError] {
        var errors: [ResolutionError] = []
        var bindings = clusterRoleBindings(for: user)
        if !namespace.isEmpty { bindings += roleBindings(for: user, namespace: namespace) }
        for binding in bindings {
            guard let subject = binding.firstSubject(matching: user) else { continue }
            switch rules(grantedBy: binding) {
            case .failure(let error):
                errors.append(error)
            case .success(let rules):
                let source = RuleSource(binding: binding, subject: subject)
                for rule in rules {
                    if !visit(source, rule) { return errors }
                }
            }
        }
        return errors
    }

    /// Every rule that applies to `user` in `namespace`, in visiting order, duplicates kept
    /// (as Kubernetes' `RulesFor`). This is what escalation checks compare against.
    public func effectiveRules(for user: UserInfo, namespace: String) -> [PolicyRule] {
        var rules: [PolicyRule] = []
        visitRules(for: user, namespace: namespace) { _, rule in
            rules.append(rule)
            return true
        }
        return rules
    }

    /// The rules of `user` in `namespace` split as a SelfSubjectRulesReview reports them: rules
    /// with `resources` among the resource rules, rules with `nonResourceURLs` among the
    /// non-resource rules (a rule with both appears in both lists).
    public func rules(for user: UserInfo, namespace: String) -> (resourceRules: [PolicyRule], nonResourceRules: [PolicyRule]) {
        let rules = effectiveRules(for: user, namespace: namespace)
        return (rules.filter(\.isResourceRule), rules.filter(\.isNonResourceRule))
    }

    /// Why some bindings naming `user` in `namespace` grant nothing, for a
    /// SelfSubjectRulesReview's `evaluationError`; empty when every binding resolved.
    public func resolutionErrors(for user: UserInfo, namespace: String) -> [ResolutionError] {
        visitRules(for: user, namespace: namespace) { _, _ in true }
    }
}
