import ArgumentParser

/// `kauth`: the administrator's tool for a Palisade cluster. It talks to the server over
/// mTLS like any client, so everything it does is authorized and audited.
@main
struct Kauth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administer a Palisade cluster: users, roles, access questions, tenants, bootstrap tokens and the audit log.",
        subcommands: [
            UserCommand.self, RoleCommand.self, BindCommand.self, UnbindCommand.self,
            CanICommand.self, WhoCanCommand.self, AccessCommand.self, RiskyCommand.self,
            TenantCommand.self, TokenCommand.self, AuditCommand.self,
        ]
    )
}
