import ArgumentParser
import PalisadeAPI
import PalisadeAuth

/// `kauth bind ROLE --user U | --group G | --serviceaccount NS:NAME [-n NS | --cluster]`:
/// one binding per role and subject, named `kauth:ROLE:KIND:SUBJECT`. In a namespace, ROLE
/// is that namespace's Role or else the ClusterRole of that name (granted there only).
struct BindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bind", abstract: "Grant a role to a user, group or service account.")

    @OptionGroup var binding: BindingArguments
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (roleName, subject, namespace) = try binding.resolved()
        let bindingName = try await client.withAPI { api -> String in
            if let namespace { try await api.requireNamespace(namespace) }
            try await BindingSubject.requireExists(subject, api)
            let role = try await RoleReference.forBinding(roleName, namespace: namespace, api)
            let name = "kauth:\(role.name):\(subject.kind.lowercased()):\(subject.namespace.isEmpty ? "" : subject.namespace + ":")\(subject.name)"
            let definition = namespace == nil ? RoleReference.clusterRoleBindings : RoleReference.roleBindings
            if try await api.get(APIPath.object(definition, namespace: namespace, name: name)) != nil { return name }
            var metadata: [String: JSONValue] = ["name": .string(name)]
            if let namespace { metadata["namespace"] = .string(namespace) }
            try await api.post(APIPath.collection(definition, namespace: namespace), [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": .string(definition.kind), "metadata": .object(metadata),
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(role.kind), "name": .string(role.name)],
                "subjects": [BindingSubject.json(subject)],
            ])
            return name
        }
        print("\(GrantTables.subject(subject)) bound to \(roleName) \(namespace.map { "in namespace \"\($0)\"" } ?? "cluster-wide") (binding \(bindingName))")
    }
}

/// Subjects as bindings hold them.
enum BindingSubject {
    static func json(_ subject: RBACPolicy.Subject) -> JSONValue {
        var object: [String: JSONValue] = ["kind": .string(subject.kind), "name": .string(subject.name)]
        if subject.kind == RBACPolicy.Subject.serviceAccountKind {
            object["namespace"] = .string(subject.namespace)
        } else {
            object["apiGroup"] = "rbac.authorization.k8s.io"
        }
        return .object(object)
    }

    /// A user must have been issued a certificate, a service account must exist; groups are
    /// only names in certificates, so any is accepted.
    static func requireExists(_ subject: RBACPolicy.Subject, _ api: ClusterAPI) async throws {
        switch subject.kind {
        case RBACPolicy.Subject.userKind:
            _ = try await api.requireUser(subject.name)
        case RBACPolicy.Subject.serviceAccountKind:
            let accounts = APIPath.definition(plural: "serviceaccounts", group: "")
            guard try await api.get(APIPath.object(accounts, namespace: subject.namespace, name: subject.name)) != nil else {
                throw KauthError("serviceaccount \"\(subject.name)\" not found in namespace \"\(subject.namespace)\"")
            }
        default:
            return
        }
    }
}
