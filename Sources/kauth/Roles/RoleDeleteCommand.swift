import ArgumentParser

/// `kauth role delete NAME [-n NS | --cluster]`. Bindings that name it stay (they then grant
/// nothing), as in Kubernetes; `kauth role show` lists them first.
struct RoleDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a Role or ClusterRole.")

    @Argument(help: "The role name.")
    var name: String

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let role = RoleReference(name: try Names.requireSubdomain(name, "role name"), namespace: try scope.resolvedNamespace())
        try await client.withAPI { api in
            if let namespace = role.namespace { try await api.requireNamespace(namespace) }
            guard try await api.delete(role.path) else { throw KauthError("\(role.description) not found") }
        }
        print("\(role.description) deleted")
    }
}
