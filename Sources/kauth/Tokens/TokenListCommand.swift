import ArgumentParser
import PalisadeAPI

/// `kauth token list`: the bootstrap tokens, with id, expiry and description; never a secret.
struct TokenListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List bootstrap tokens (ids, never secrets).")

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let tokens = try await client.withAPI { api in
            try await api.list(BootstrapTokenSecrets.collection).compactMap(BootstrapTokenSecrets.summary(of:))
        }
        try output.print(
            document: ["kind": "BootstrapTokenList", "items": .array(tokens)],
            rows: [["ID", "EXPIRES", "DESCRIPTION", "EXTRA GROUPS"]] + tokens.map { token in
                [
                    token["id"]?.stringValue ?? "", token["expiration"]?.stringValue ?? "<none>", token["description"]?.stringValue ?? "",
                    (token["extraGroups"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ","),
                ]
            }
        )
    }
}
