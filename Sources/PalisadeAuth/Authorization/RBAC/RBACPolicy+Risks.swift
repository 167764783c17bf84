/// Subjects holding dangerous power (`kauth risky`): permissions that amount to more than
/// they say, because they let their holder take other identities, grant themselves more,
/// read credentials or run code on nodes and in other workloads.
extension RBACPolicy {
    /// A power worth an administrator's attention.
    public enum Power: String, Sendable, CaseIterable, Comparable {
        case wildcard = "wildcard (*)"
        case escalate = "escalate roles"
        case bind = "bind roles"
        case impersonate = "impersonate"
        case readSecrets = "read secrets"
        case execInPods = "exec/attach in pods"
        case nodeProxy = "nodes/proxy"
        case createPodsInKubeSystem = "create pods in kube-system"
        case approveCertificates = "approve CSRs"

        public static func < (lhs: Power, rhs: Power) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }

        /// The requests that exhibit this power; holding any one of them is holding it.
        var probes: [Probe] {
            switch self {
            case .wildcard: return []
            case .escalate: return ["roles", "clusterroles"].map { Probe("escalate", "rbac.authorization.k8s.io", $0, clusterScoped: $0 == "clusterroles") }
            case .bind: return ["roles", "clusterroles"].map { Probe("bind", "rbac.authorization.k8s.io", $0, clusterScoped: $0 == "clusterroles") }
            case .impersonate:
                return [("users", true), ("groups", true), ("serviceaccounts", false), ("userextras", true)].map {
                    Probe("impersonate", $0.0 == "userextras" ? "authentication.k8s.io" : "", $0.0, clusterScoped: $0.1)
                }
            case .readSecrets: return ["get", "list", "watch"].map { Probe($0, "", "secrets") }
            case .execInPods: return ["create", "get"].flatMap { verb in ["pods/exec", "pods/attach"].map { Probe(verb, "", $0) } }
            case .nodeProxy: return ["get", "create"].map { Probe($0, "", "nodes/proxy", clusterScoped: true) }
            case .createPodsInKubeSystem: return [Probe("create", "", "pods", namespace: "kube-system")]
            case .approveCertificates: return [Probe("approve", "certificates.k8s.io", "signers", clusterScoped: true)]
            }
        }
    }

    /// One request shape a power is recognised by.
    struct Probe {
        let verb: String
        let apiGroup: String
        let resource: String
        let subresource: String
        /// Granted only through a ClusterRoleBinding (a RoleBinding never grants cluster-scoped resources).
        let clusterScoped: Bool
        /// Only in this namespace, when set.
        let namespace: String?

        init(_ verb: String, _ apiGroup: String, _ resource: String, clusterScoped: Bool = false, namespace: String? = nil) {
            let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
            self.verb = verb
            self.apiGroup = apiGroup
            self.resource = parts[0]
            self.subresource = parts.count > 1 ? parts[1] : ""
            self.clusterScoped = clusterScoped
            self.namespace = namespace
        }

        /// Whether `rule`, granted through a binding of `bindingNamespace`, allows this probe.
        /// Resource names are ignored: a power over some objects is still that power.
        func isAllowed(by rule: PolicyRule, bindingNamespace: String) -> Bool {
            if clusterScoped && !bindingNamespace.isEmpty { return false }
            if let namespace, !bindingNamespace.isEmpty, bindingNamespace != namespace { return false }
            var unrestricted = rule
            unrestricted.resourceNames = []
            return unrestricted.allows(AuthorizationAttributes(
                user: UserInfo(name: ""), verb: verb, isResourceRequest: true, apiGroup: apiGroup, resource: resource,
                subresource: subresource, namespace: namespace ?? bindingNamespace
            ))
        }
    }

    /// One subject holding one power through one binding.
    public struct Risk: Sendable, Hashable {
        public var power: Power
        public var source: RuleSource
        /// The rule that grants it, as Kubernetes prints rules.
        public var rule: PolicyRule

        /// `""` when the power holds cluster-wide.
        public var namespace: String { source.binding.namespace }
    }

    /// Every subject holding a dangerous power, one entry per subject, power and binding,
    /// ordered by power, then binding scope and name.
    public func risks() -> [Risk] {
        var bindings = clusterRoleBindings.values.sorted { $0.name < $1.name }
        for namespace in roleBindings.keys.sorted() {
            bindings += (roleBindings[namespace] ?? [:]).values.sorted { $0.name < $1.name }
        }
        var found: [Risk] = []
        for binding in bindings {
            guard case .success(let rules) = self.rules(grantedBy: binding) else { continue }
            for power in Power.allCases {
                guard let rule = rules.first(where: { Self.grants(power, $0, bindingNamespace: binding.namespace) }) else { continue }
                found += binding.namedSubjects.map { Risk(power: power, source: RuleSource(binding: binding, subject: $0), rule: rule) }
            }
        }
        return found.sorted { ($0.power, $0.namespace, $0.source.binding.name) < ($1.power, $1.namespace, $1.source.binding.name) }
    }

    static func grants(_ power: Power, _ rule: PolicyRule, bindingNamespace: String) -> Bool {
        if power == .wildcard {
            return rule.verbs.contains(PolicyRule.all) || rule.resources.contains(PolicyRule.all)
        }
        return power.probes.contains { $0.isAllowed(by: rule, bindingNamespace: bindingNamespace) }
    }
}
