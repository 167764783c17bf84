import ArgumentParser

/// `kauth audit …`: ask the server for audit events (or read log files directly), follow
/// them, verify the log's chain, export checkpoints, and turn a user's history into a Role.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Query, follow and verify the audit log.",
        subcommands: [AuditQueryCommand.self, AuditFollowCommand.self, AuditVerifyCommand.self, AuditCheckpointCommand.self, SuggestRoleCommand.self],
        defaultSubcommand: AuditQueryCommand.self
    )
}
