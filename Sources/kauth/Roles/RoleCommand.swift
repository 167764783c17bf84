import ArgumentParser

/// `kauth role …`: Roles (in a namespace) and ClusterRoles (`--cluster`).
struct RoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Create, list, show and delete Roles and ClusterRoles.",
        subcommands: [RoleCreateCommand.self, RoleListCommand.self, RoleShowCommand.self, RoleDeleteCommand.self]
    )
}
