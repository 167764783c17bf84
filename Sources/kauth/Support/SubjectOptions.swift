import ArgumentParser
import PalisadeAuth

/// `--user U | --group G | --serviceaccount NS:NAME`: exactly one binding subject.
struct SubjectOptions: ParsableArguments {
    @Option(help: "A user.")
    var user: String?

    @Option(help: "A group.")
    var group: String?

    @Option(help: "A service account, as NAMESPACE:NAME.")
    var serviceaccount: String?

    func validate() throws {
        guard [user, group, serviceaccount].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --user, --group or --serviceaccount")
        }
    }

    /// The subject, names checked.
    func subject() throws -> RBACPolicy.Subject {
        if let user { return RBACPolicy.Subject(kind: RBACPolicy.Subject.userKind, name: try Names.requireSubdomain(user, "user name")) }
        if let group { return RBACPolicy.Subject(kind: RBACPolicy.Subject.groupKind, name: try Names.requireGroup(group)) }
        return try Self.serviceAccount(serviceaccount ?? "")
    }

    /// `NAMESPACE:NAME` as a ServiceAccount subject.
    static func serviceAccount(_ text: String) throws -> RBACPolicy.Subject {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { throw KauthError("invalid service account \"\(text)\": write it NAMESPACE:NAME") }
        return RBACPolicy.Subject(
            kind: RBACPolicy.Subject.serviceAccountKind, name: try Names.requireSubdomain(parts[1], "service account name"),
            namespace: try Names.requireLabel(parts[0], "namespace")
        )
    }
}

/// `-n NS | --cluster`: where a role or binding lives. Neither means the namespace `default`.
struct ScopeOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The namespace (default: default).")
    var namespace: String?

    @Flag(help: "Cluster-wide: a ClusterRole or ClusterRoleBinding.")
    var cluster = false

    func validate() throws {
        if cluster && namespace != nil { throw ValidationError("give -n/--namespace or --cluster, not both") }
    }

    /// The namespace, checked; nil when cluster-wide.
    func resolvedNamespace() throws -> String? {
        cluster ? nil : try Names.requireLabel(namespace ?? "default", "namespace")
    }
}
