import ArgumentParser

/// `kauth`: the administrator's tool for a Palisade cluster. It talks to the server over
/// mTLS like any client, so everything it does is authorized and audited.
@main
struct Kauth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administer a Palisade cluster: the audit log (users, roles and tenants to come).",
        subcommands: [AuditCommand.self]
    )
}
