/// Whether one rule allows one request, with the semantics of Kubernetes' RBAC authorizer.
///
/// - Resource requests need the verb, the API group, the resource and the name to match.
///   A rule without `resources` never matches one.
/// - Non-resource requests need the verb and the path to match. A rule without
///   `nonResourceURLs` never matches one.
///
/// Every comparison is exact and case-sensitive; `*` is the only wildcard. An unknown verb is
/// just a string: only the same string or `*` matches it.
extension PolicyRule {
    /// Whether this rule allows the request described by `attributes`.
    public func allows(_ attributes: AuthorizationAttributes) -> Bool {
        guard matchesVerb(attributes.verb) else { return false }
        if attributes.isResourceRequest {
            return matchesAPIGroup(attributes.apiGroup)
                && matchesResource(attributes.resource, subresource: attributes.subresource)
                && matchesResourceName(attributes.name)
        }
        return matchesNonResourceURL(attributes.path)
    }

    /// `verbs` contains `*` or exactly `verb`.
    public func matchesVerb(_ verb: String) -> Bool {
        verbs.contains { $0 == Self.all || $0 == verb }
    }

    /// `apiGroups` contains `*` or exactly `group` (`""` is the core group).
    public func matchesAPIGroup(_ group: String) -> Bool {
        apiGroups.contains { $0 == Self.all || $0 == group }
    }

    /// Matches the request's `resource` or `resource/subresource` against `resources`:
    ///
    /// - `*` matches every resource and every subresource;
    /// - an exact entry matches only itself, so `pods` does not match `pods/log`;
    /// - `*/sub` matches subresource `sub` of any resource.
    ///
    /// There is no `resource/*` form in RBAC: such an entry only matches a subresource
    /// literally named `*`.
    public func matchesResource(_ resource: String, subresource: String) -> Bool {
        let combined = subresource.isEmpty ? resource : resource + "/" + subresource
        return resources.contains { entry in
            if entry == Self.all || entry == combined { return true }
            return !subresource.isEmpty && entry == "*/" + subresource
        }
    }

    /// An empty `resourceNames` matches any name, even none. Otherwise the request must name
    /// one of the listed objects, so requests without a name (create, a list or watch with no
    /// `metadata.name` field selector, deletecollection) never match.
    public func matchesResourceName(_ name: String) -> Bool {
        resourceNames.isEmpty || resourceNames.contains(name)
    }

    /// `nonResourceURLs` contains `*`, exactly `path`, or an entry ending in `*` whose text
    /// before the `*`s is a prefix of `path` (`/healthz/*` matches `/healthz/etcd`, not `/healthz`).
    public func matchesNonResourceURL(_ path: String) -> Bool {
        nonResourceURLs.contains { Self.nonResourceURL($0, covers: path) }
    }

    /// Whether the URL pattern `pattern` matches `path`, used by matching and by the escalation check.
    static func nonResourceURL(_ pattern: String, covers path: String) -> Bool {
        if pattern == Self.all || pattern == path { return true }
        guard pattern.hasSuffix("*") else { return false }
        var prefix = Substring(pattern)
        while prefix.last == "*" { prefix = prefix.dropLast() }
        return path.hasPrefix(prefix)
    }
}

extension Sequence<PolicyRule> {
    /// Whether any of the rules allows the request.
    public func allow(_ attributes: AuthorizationAttributes) -> Bool {
        contains { $0.allows(attributes) }
    }
}
