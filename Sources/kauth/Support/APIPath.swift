import PalisadeAPI

/// URL paths of served resources, built from their definitions.
enum APIPath {
    static let namespaces = definition(plural: "namespaces", group: "")

    /// The served resource `plural` of `group` (one this server is known to serve).
    static func definition(plural: String, group: String) -> ResourceDefinition {
        ServedResources.all.first { $0.plural == plural && $0.group == group }!
    }

    /// The served resource of `kind` in `group`.
    static func definition(kind: String, group: String) throws -> ResourceDefinition {
        guard let found = ServedResources.all.first(where: { $0.kind == kind && $0.group == group }) else {
            throw KauthError("the server does not serve \(kind) in group \"\(group)\"")
        }
        return found
    }

    /// `/api/v1[/namespaces/NS]/PLURAL` or `/apis/GROUP/VERSION[/namespaces/NS]/PLURAL`.
    static func collection(_ definition: ResourceDefinition, namespace: String? = nil) -> String {
        let root = definition.group.isEmpty ? "/api/\(definition.version)" : "/apis/\(definition.group)/\(definition.version)"
        guard let namespace, definition.namespaced else { return "\(root)/\(definition.plural)" }
        return "\(root)/namespaces/\(namespace)/\(definition.plural)"
    }

    static func object(_ definition: ResourceDefinition, namespace: String? = nil, name: String) -> String {
        "\(collection(definition, namespace: namespace))/\(name)"
    }
}
