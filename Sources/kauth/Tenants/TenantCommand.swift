import ArgumentParser

/// `kauth tenant …`: hardened namespaces handed to an owner.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Create, list, show and delete tenants (hardened namespaces with an owner).",
        subcommands: [TenantCreateCommand.self, TenantListCommand.self, TenantShowCommand.self, TenantDeleteCommand.self]
    )
}
