import ArgumentParser

/// `kauth token …`: bootstrap tokens, which let a new node ask for its client certificate.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and delete bootstrap tokens (for joining nodes).",
        subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenDeleteCommand.self]
    )
}
