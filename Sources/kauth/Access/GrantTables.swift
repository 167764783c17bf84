import PalisadeAPI
import PalisadeAuth

/// How grants (a subject of a binding, and the role's rules) are printed.
enum GrantTables {
    /// One row per binding: where it holds, the binding, its role, and the subject it names.
    static func bindingRows(_ grants: [RBACPolicy.Grant]) -> [[String]] {
        [["NAMESPACE", "BINDING", "ROLE", "SUBJECT"]] + grants.map { grant in
            let binding = grant.source.binding
            return [scope(binding.namespace), binding.name, "\(binding.roleRef.kind)/\(binding.roleRef.name)", subject(grant.source.subject)]
        }
    }

    /// One row per rule: where it holds, what it allows, and through which binding.
    static func ruleRows(_ grants: [RBACPolicy.Grant]) -> [[String]] {
        [["NAMESPACE", "VERBS", "RESOURCES", "VIA"]] + grants.flatMap { grant in
            grant.rules.map { rule in
                [scope(grant.namespace), rule.verbs.joined(separator: ","), resources(rule), path(grant.source)]
            }
        }
    }

    static func json(_ grant: RBACPolicy.Grant) -> JSONValue {
        let binding = grant.source.binding
        return [
            "namespace": .string(binding.namespace), "binding": .string(binding.name),
            "bindingKind": .string(binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding"),
            "roleRef": ["kind": .string(binding.roleRef.kind), "name": .string(binding.roleRef.name)],
            "subject": subjectJSON(grant.source.subject), "rules": .array(grant.rules.map(\.json)),
        ]
    }

    static func subjectJSON(_ subject: RBACPolicy.Subject) -> JSONValue {
        var object: [String: JSONValue] = ["kind": .string(subject.kind), "name": .string(subject.name)]
        if !subject.namespace.isEmpty { object["namespace"] = .string(subject.namespace) }
        return .object(object)
    }

    /// `*` for a cluster-wide grant, else the namespace.
    static func scope(_ namespace: String) -> String { namespace.isEmpty ? "*" : namespace }

    /// `User/alice`, `Group/dev`, `ServiceAccount/ns:name`.
    static func subject(_ subject: RBACPolicy.Subject) -> String {
        subject.kind == RBACPolicy.Subject.serviceAccountKind && !subject.namespace.isEmpty
            ? "ServiceAccount/\(subject.namespace):\(subject.name)" : "\(subject.kind)/\(subject.name)"
    }

    /// `ClusterRoleBinding/x → ClusterRole/y` or `RoleBinding/ns/x → Role/y`.
    static func path(_ source: RBACPolicy.RuleSource) -> String {
        let binding = source.binding
        let name = binding.isClusterRoleBinding ? "ClusterRoleBinding/\(binding.name)" : "RoleBinding/\(binding.namespace)/\(binding.name)"
        return "\(name) → \(binding.roleRef.kind)/\(binding.roleRef.name)"
    }

    /// `deployments.apps`, `deployments.apps/scale`: the group after the resource, as kubectl writes it.
    static func qualified(_ resource: String, group: String) -> String {
        guard !group.isEmpty else { return resource }
        let parts = resource.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? "\(parts[0]).\(group)/\(parts[1])" : "\(resource).\(group)"
    }

    /// `pods,services` with groups (`deployments.apps`), URLs for non-resource rules, and names.
    static func resources(_ rule: PolicyRule) -> String {
        var items: [String] = []
        for group in rule.apiGroups.isEmpty ? [""] : rule.apiGroups {
            for resource in rule.resources { items.append(qualified(resource, group: group)) }
        }
        items += rule.nonResourceURLs
        let names = rule.resourceNames.isEmpty ? "" : " [\(rule.resourceNames.joined(separator: ","))]"
        return items.joined(separator: ",") + names
    }
}
