import ArgumentParser
import Foundation
import PalisadeAuth

/// `kauth token create`: a new bootstrap token, stored as its Secret; the token is printed
/// once, here, and cannot be shown again.
struct TokenCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a bootstrap token and print it (the only time its secret is shown)."
    )

    @Option(help: "How long the token is accepted, e.g. 24h, 90m, 7d.")
    var ttl = "24h"

    @Option(help: "What the token is for (shown by kauth token list).")
    var description = ""

    @Option(name: .customLong("group"), help: "Extra group for the token's user, system:bootstrappers:<name> (repeatable).")
    var groups: [String] = []

    @OptionGroup var client: ClientOptions

    func validate() throws {
        for group in groups where !BootstrapTokenSecret.isExtraGroup(group) {
            throw ValidationError("invalid --group \"\(group)\": extra groups of a bootstrap token must be system:bootstrappers:<name>")
        }
    }

    func run() async throws {
        let lifetime = try DurationArgument.seconds(ttl, option: "--ttl")
        let token = BootstrapToken.generate()
        let expiration = Date().addingTimeInterval(TimeInterval(lifetime))
        try await client.withAPI { api in
            try await api.post(
                BootstrapTokenSecrets.collection,
                BootstrapTokenSecrets.secret(for: token, expiration: expiration, description: description, extraGroups: groups)
            )
        }
        print(token.text)
    }
}
