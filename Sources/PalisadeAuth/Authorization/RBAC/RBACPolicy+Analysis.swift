import PalisadeAPI

/// The questions an administrator asks of the whole policy rather than of one request:
/// who may do something (`kauth who-can`), what a subject may do (`kauth access`), and in
/// which namespaces a user holds anything at all (the filtered namespace list).
extension RBACPolicy {
    /// One subject of one binding, granted some rules through it.
    public struct Grant: Sendable, Hashable {
        /// The binding and the subject in it, described as RBAC reasons describe them.
        public var source: RuleSource
        /// The rules the binding's role grants (all of them, or the ones that matched a question).
        public var rules: [PolicyRule]

        /// The namespace the grant applies in; `""` for a ClusterRoleBinding (everywhere).
        public var namespace: String { source.binding.namespace }

        public init(source: RuleSource, rules: [PolicyRule]) {
            self.source = source
            self.rules = rules
        }
    }

    /// Every subject granted `verb` on `resource` (`resource` or `resource/subresource`) of
    /// `apiGroup` in `namespace` (`""`: at the cluster scope), optionally for one object
    /// `name`, with the binding and role that grant it. Members of `system:masters` are not
    /// listed: they bypass RBAC.
    public func subjects(
        allowedTo verb: String, apiGroup: String, resource: String, namespace: String, name: String = ""
    ) -> [Grant] {
        let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
        let attributes = AuthorizationAttributes(
            user: UserInfo(name: ""), verb: verb, isResourceRequest: true, apiGroup: apiGroup,
            resource: parts.first ?? "", subresource: parts.count > 1 ? parts[1] : "", namespace: namespace, name: name
        )
        var bindings = clusterRoleBindings.values.sorted { $0.name < $1.name }
        if !namespace.isEmpty { bindings += (roleBindings[namespace] ?? [:]).values.sorted { $0.name < $1.name } }
        return bindings.flatMap { binding -> [Grant] in
            guard case .success(let rules) = self.rules(grantedBy: binding) else { return [] }
            let matching = rules.filter { $0.allows(attributes) }
            guard !matching.isEmpty else { return [] }
            return binding.namedSubjects.map { Grant(source: RuleSource(binding: binding, subject: $0), rules: matching) }
        }
    }

    /// Every grant that names `user` (by name, group or service account), cluster bindings
    /// first, then each namespace's in name order.
    public func grants(to user: UserInfo) -> [Grant] {
        var bindings = clusterRoleBindings(for: user)
        for namespace in roleBindings.keys.sorted() { bindings += roleBindings(for: user, namespace: namespace) }
        return bindings.compactMap { binding in
            guard let subject = binding.firstSubject(matching: user), case .success(let rules) = self.rules(grantedBy: binding) else {
                return nil
            }
            return Grant(source: RuleSource(binding: binding, subject: subject), rules: rules)
        }
    }

    /// The namespaces `user` holds any permission in, for listing namespaces to a user who
    /// may not list them all: those where a RoleBinding grants the user at least one rule.
    /// `nil` when a ClusterRoleBinding grants the user a rule on some namespaced resource,
    /// which holds in every namespace.
    public func namespacesGrantingAnything(to user: UserInfo) -> Set<String>? {
        for binding in clusterRoleBindings(for: user) {
            guard case .success(let rules) = self.rules(grantedBy: binding) else { continue }
            if rules.contains(where: \.coversNamespacedResource) { return nil }
        }
        var namespaces: Set<String> = []
        for namespace in roleBindings.keys {
            let granting = roleBindings(for: user, namespace: namespace).contains { binding in
                guard case .success(let rules) = self.rules(grantedBy: binding) else { return false }
                return rules.contains(where: \.isResourceRule)
            }
            if granting { namespaces.insert(namespace) }
        }
        return namespaces
    }
}

extension RBACPolicy.Binding {
    /// The subjects that can name anyone (a known kind; a service account with a namespace).
    public var namedSubjects: [RBACPolicy.Subject] {
        subjects.filter { $0.key(bindingNamespace: namespace) != nil }
    }
}

extension PolicyRule {
    /// Whether the rule grants something on a resource that lives in namespaces, so that
    /// bound cluster-wide it holds in every namespace.
    var coversNamespacedResource: Bool {
        guard isResourceRule, !verbs.isEmpty else { return false }
        return ServedResources.all.contains { definition in
            definition.namespaced && matchesAPIGroup(definition.group)
                && resources.contains { resource in
                    let head = resource.split(separator: "/").first.map(String.init)
                    return head == PolicyRule.all || head == definition.plural
                }
        }
    }
}
