import ArgumentParser
import PalisadeAuth

/// `kauth token delete ID`: deletes the token's Secret; the server refuses the token from
/// the next request on. Certificates already issued with it stay valid.
struct TokenDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a bootstrap token.")

    @Argument(help: "The token's id (the part before the dot).")
    var id: String

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard BootstrapToken.isValidID(id) else { throw ValidationError("invalid token id \"\(id)\": 6 characters of a-z and 0-9") }
    }

    func run() async throws {
        let deleted = try await client.withAPI { api in try await api.delete(BootstrapTokenSecrets.path(id: id)) }
        guard deleted else { throw KauthError("bootstrap token \"\(id)\" not found") }
        print("bootstrap token \"\(id)\" deleted")
    }
}
