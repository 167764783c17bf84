/// Kubernetes' "covers" comparison, the heart of RBAC escalation prevention: a user may only
/// write a Role, ClusterRole or binding that grants what the user already holds (unless they
/// have the `escalate` or `bind` verb, which callers check separately).
///
/// Each requested rule is broken down into atomic rules, one API group × resource × verb
/// (× resource name when names are set) and one non-resource URL × verb, and each atomic rule
/// must be covered by a single owner rule:
///
/// - verb and API group: the owner lists `*` or the same string;
/// - resource: the owner lists `*`, the same string, or `*/sub` for a requested `res/sub`;
/// - resource names: a request without names needs an owner rule without names; a request
///   for a name needs an owner rule without names or listing that name;
/// - non-resource URL: the owner lists the same path or a `…*` prefix pattern of it.
///
/// A wildcard in the request is an ordinary string here, so only the same wildcard in the
/// owner covers it (`*` verbs are covered by `*`, never by a list of every verb).
public enum EscalationCheck {
    /// Whether `owner` rules cover every rule in `requested`.
    ///
    /// - Returns: `covered`, and the atomic requested rules no owner rule covers (empty when covered).
    public static func covers(_ owner: [PolicyRule], _ requested: [PolicyRule]) -> (covered: Bool, missing: [PolicyRule]) {
        let missing = requested.flatMap(breakdown).filter { atom in !owner.contains { ruleCovers($0, atom) } }
        return (missing.isEmpty, missing)
    }

    /// The rules to hold before an `aggregationRule` may be set without `escalate`:
    /// everything on every resource and every non-resource URL (cluster-admin).
    public static let fullAuthority: [PolicyRule] = [
        PolicyRule(verbs: [PolicyRule.all], apiGroups: [PolicyRule.all], resources: [PolicyRule.all]),
        PolicyRule(verbs: [PolicyRule.all], nonResourceURLs: [PolicyRule.all]),
    ]

    /// Splits `rule` into atomic rules with at most one verb, group, resource and name, or one
    /// verb and non-resource URL.
    public static func breakdown(_ rule: PolicyRule) -> [PolicyRule] {
        var atoms: [PolicyRule] = []
        for group in rule.apiGroups {
            for resource in rule.resources {
                for verb in rule.verbs {
                    if rule.resourceNames.isEmpty {
                        atoms.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource]))
                    } else {
                        for name in rule.resourceNames {
                            atoms.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name]))
                        }
                    }
                }
            }
        }
        for url in rule.nonResourceURLs {
            for verb in rule.verbs {
                atoms.append(PolicyRule(verbs: [verb], nonResourceURLs: [url]))
            }
        }
        return atoms
    }

    /// Whether one owner rule covers one atomic rule.
    static func ruleCovers(_ owner: PolicyRule, _ atom: PolicyRule) -> Bool {
        let verbs = owner.verbs.contains(PolicyRule.all) || atom.verbs.allSatisfy(owner.verbs.contains)
        let groups = owner.apiGroups.contains(PolicyRule.all) || atom.apiGroups.allSatisfy(owner.apiGroups.contains)
        let resources = owner.resources.contains(PolicyRule.all) || atom.resources.allSatisfy { resource in
            if owner.resources.contains(resource) { return true }
            guard let slash = resource.firstIndex(of: "/") else { return false }
            return owner.resources.contains("*" + resource[slash...])
        }
        let urls = atom.nonResourceURLs.allSatisfy { url in
            owner.nonResourceURLs.contains { PolicyRule.nonResourceURL($0, covers: url) }
        }
        let names = atom.resourceNames.isEmpty
            ? owner.resourceNames.isEmpty
            : owner.resourceNames.isEmpty || atom.resourceNames.allSatisfy(owner.resourceNames.contains)
        return verbs && groups && resources && urls && names
    }

    /// Merges atomic rules that differ only in their verb, for a readable error message.
    /// Non-resource rules and rules with several names are kept as they are.
    public static func compact(_ rules: [PolicyRule]) -> [PolicyRule] {
        var merged: [PolicyRule] = []
        var positions: [PolicyRule: Int] = [:]
        for rule in rules {
            let simple = rule.nonResourceURLs.isEmpty && rule.apiGroups.count == 1 && rule.resources.count == 1
                && rule.resourceNames.count <= 1
            guard simple else {
                merged.append(rule)
                continue
            }
            var key = rule
            key.verbs = []
            if let position = positions[key] {
                for verb in rule.verbs where !merged[position].verbs.contains(verb) { merged[position].verbs.append(verb) }
            } else {
                positions[key] = merged.count
                merged.append(rule)
            }
        }
        return merged
    }

    /// The 403 message Kubernetes gives when a write would grant `missing` rules the user
    /// does not hold: the compacted rules, sorted, one per line.
    public static func notHeldMessage(user: UserInfo, missing: [PolicyRule]) -> String {
        let groups = "[" + user.groups.map { "\"\($0)\"" }.joined(separator: " ") + "]"
        let lines = Set(compact(missing).map(\.description)).sorted()
        return "user \"\(user.name)\" (groups=\(groups)) is attempting to grant RBAC permissions not currently held:\n"
            + lines.joined(separator: "\n")
    }
}
