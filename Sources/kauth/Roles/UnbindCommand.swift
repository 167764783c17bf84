import ArgumentParser
import PalisadeAPI
import PalisadeAuth

/// `kauth unbind ROLE --user U | --group G | --serviceaccount NS:NAME [-n NS | --cluster]`:
/// removes the subject from every binding of ROLE in that scope (whoever made it), deleting
/// bindings left with no subject.
struct UnbindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unbind", abstract: "Take a role away from a user, group or service account.")

    @OptionGroup var binding: BindingArguments
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (roleName, subject, namespace) = try binding.resolved()
        let changed = try await client.withAPI { api -> [String] in
            if let namespace { try await api.requireNamespace(namespace) }
            let definition = namespace == nil ? RoleReference.clusterRoleBindings : RoleReference.roleBindings
            var changed: [String] = []
            for var existing in try await api.list(APIPath.collection(definition, namespace: namespace))
            where existing[path: ["roleRef", "name"]]?.stringValue == roleName {
                let subjects = existing["subjects"]?.arrayValue ?? []
                let remaining = subjects.filter { !Self.names($0, subject, bindingNamespace: namespace ?? "") }
                guard remaining.count < subjects.count, let name = existing.name else { continue }
                let path = APIPath.object(definition, namespace: namespace, name: name)
                if remaining.isEmpty {
                    try await api.delete(path)
                } else {
                    existing["subjects"] = .array(remaining)
                    try await api.put(path, existing)
                }
                changed.append(name)
            }
            return changed
        }
        let place = namespace.map { "in namespace \"\($0)\"" } ?? "cluster-wide"
        guard !changed.isEmpty else { throw KauthError("\(GrantTables.subject(subject)) is not bound to \(roleName) \(place)") }
        print("\(GrantTables.subject(subject)) unbound from \(roleName) \(place) (bindings \(changed.joined(separator: ", ")))")
    }

    private static func names(_ entry: JSONValue, _ subject: RBACPolicy.Subject, bindingNamespace: String) -> Bool {
        let candidate = RBACPolicy.Subject(json: entry)
        let namespace = candidate.namespace.isEmpty ? bindingNamespace : candidate.namespace
        return candidate.kind == subject.kind && candidate.name == subject.name
            && (subject.kind != RBACPolicy.Subject.serviceAccountKind || namespace == subject.namespace)
    }
}
