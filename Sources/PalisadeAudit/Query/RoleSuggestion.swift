import PalisadeAPI

/// The least-privilege RBAC that covers exactly what a subject did, read from its audit
/// events: one Role per namespace it worked in, and one ClusterRole for cluster-scoped
/// resources, lists across namespaces and non-resource paths. Requests that named an
/// object keep that name (`resourceNames`) where RBAC can honour it: never for create,
/// list, watch or deletecollection, which carry no name.
public struct RoleSuggestion: Sendable {
    public let subject: String
    /// Also cover requests that were refused (what the subject tried and was denied).
    public let includeDenied: Bool

    public init(subject: String, includeDenied: Bool = false) {
        self.subject = subject
        self.includeDenied = includeDenied
    }

    private struct Grant: Hashable, Comparable {
        let group: String
        let resource: String
        let name: String

        static func < (lhs: Grant, rhs: Grant) -> Bool {
            (lhs.group, lhs.resource, lhs.name) < (rhs.group, rhs.resource, rhs.name)
        }
    }

    /// The Roles and ClusterRole (as objects, ready to apply), namespaced ones first.
    public func roles(from events: [JSONValue]) -> [JSONValue] {
        // namespace ("" for cluster scope) → grant → verbs
        var grants: [String: [Grant: Set<String>]] = [:]
        var paths: [String: Set<String>] = [:]
        for event in events where event["stage"]?.stringValue == AuditStage.responseComplete.rawValue {
            guard includeDenied || AuditQuery.decision(of: event) == .allow, let verb = event["verb"]?.stringValue, !verb.isEmpty else { continue }
            guard let reference = event["objectRef"], let resource = reference["resource"]?.stringValue else {
                if let uri = event["requestURI"]?.stringValue { paths[String(uri.split(separator: "?").first ?? ""), default: []].insert(verb) }
                continue
            }
            let subresource = reference["subresource"]?.stringValue
            let namedVerbs: Set<String> = ["get", "update", "patch", "delete"]
            let grant = Grant(
                group: reference["apiGroup"]?.stringValue ?? "",
                resource: subresource.map { "\(resource)/\($0)" } ?? resource,
                name: namedVerbs.contains(verb) ? reference["name"]?.stringValue ?? "" : ""
            )
            grants[reference["namespace"]?.stringValue ?? "", default: [:]][grant, default: []].insert(verb)
        }
        var roles: [JSONValue] = []
        for namespace in grants.keys.sorted() where !namespace.isEmpty {
            roles.append(role(kind: "Role", namespace: namespace, rules: rules(grants[namespace]!)))
        }
        var clusterRules = rules(grants[""] ?? [:])
        for path in paths.keys.sorted() {
            clusterRules.append(["nonResourceURLs": [.string(path)], "verbs": .array(paths[path]!.sorted().map(JSONValue.string))])
        }
        if !clusterRules.isEmpty { roles.append(role(kind: "ClusterRole", namespace: nil, rules: clusterRules)) }
        return roles
    }

    /// One rule per resource and verb set; names are kept only when every request of that
    /// resource and verb set named one.
    private func rules(_ grants: [Grant: Set<String>]) -> [JSONValue] {
        var merged: [String: (group: String, resource: String, verbs: [String], names: Set<String>, unnamed: Bool)] = [:]
        for (grant, verbs) in grants {
            let sortedVerbs = verbs.sorted()
            let key = "\(grant.group)|\(grant.resource)|\(sortedVerbs.joined(separator: ","))"
            var entry = merged[key] ?? (grant.group, grant.resource, sortedVerbs, [], false)
            if grant.name.isEmpty { entry.unnamed = true } else { entry.names.insert(grant.name) }
            merged[key] = entry
        }
        return merged.keys.sorted().map { key in
            let entry = merged[key]!
            var rule: JSONValue = [
                "apiGroups": [.string(entry.group)], "resources": [.string(entry.resource)],
                "verbs": .array(entry.verbs.map(JSONValue.string)),
            ]
            if !entry.unnamed && !entry.names.isEmpty { rule["resourceNames"] = .array(entry.names.sorted().map(JSONValue.string)) }
            return rule
        }
    }

    private func role(kind: String, namespace: String?, rules: [JSONValue]) -> JSONValue {
        let safeName = subject.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" }
        var metadata: JSONValue = ["name": .string("audit-suggested:" + String(safeName))]
        if let namespace { metadata["namespace"] = .string(namespace) }
        return ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": .string(kind), "metadata": metadata, "rules": .array(rules)]
    }
}
