import PalisadeAPI
import PalisadeAuth

/// A Role in a namespace, or a ClusterRole.
struct RoleReference {
    static let roles = APIPath.definition(plural: "roles", group: "rbac.authorization.k8s.io")
    static let clusterRoles = APIPath.definition(plural: "clusterroles", group: "rbac.authorization.k8s.io")
    static let roleBindings = APIPath.definition(plural: "rolebindings", group: "rbac.authorization.k8s.io")
    static let clusterRoleBindings = APIPath.definition(plural: "clusterrolebindings", group: "rbac.authorization.k8s.io")

    let name: String
    /// nil for a ClusterRole.
    let namespace: String?

    var kind: String { namespace == nil ? "ClusterRole" : "Role" }
    var path: String { APIPath.object(namespace == nil ? Self.clusterRoles : Self.roles, namespace: namespace, name: name) }
    /// How errors name it: `role "x" in namespace "y"`, `clusterrole "x"`.
    var description: String { namespace.map { "role \"\(name)\" in namespace \"\($0)\"" } ?? "clusterrole \"\(name)\"" }

    /// The role, or a one-line error naming it.
    func require(_ api: ClusterAPI) async throws -> JSONValue {
        guard let object = try await api.get(path) else { throw KauthError("\(description) not found") }
        return object
    }

    /// The role a binding in `namespace` (nil: cluster-wide) grants when it names `name`: the
    /// Role of that namespace if there is one, else the ClusterRole (bound in the namespace
    /// only, by a RoleBinding). A one-line error when neither exists.
    static func forBinding(_ name: String, namespace: String?, _ api: ClusterAPI) async throws -> RoleReference {
        if let namespace {
            let role = RoleReference(name: name, namespace: namespace)
            if try await api.get(role.path) != nil { return role }
        }
        let clusterRole = RoleReference(name: name, namespace: nil)
        guard try await api.get(clusterRole.path) != nil else {
            throw KauthError(namespace.map { "role \"\(name)\" not found in namespace \"\($0)\" nor as a clusterrole" } ?? "clusterrole \"\(name)\" not found")
        }
        return clusterRole
    }
}
