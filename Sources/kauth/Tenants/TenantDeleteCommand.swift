import ArgumentParser

/// `kauth tenant delete NAME`: deletes the tenant's namespace, and with it everything in it.
struct TenantDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a tenant and everything in it.")

    @Argument(help: "The tenant.")
    var name: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let tenant = try Names.requireLabel(name, "tenant name")
        try await client.withAPI { api in
            _ = try await TenantShowCommand.requireTenant(tenant, api)
            try await api.delete(APIPath.object(APIPath.namespaces, name: tenant))
        }
        print("tenant \"\(tenant)\" deleted (its namespace is terminating)")
    }
}
