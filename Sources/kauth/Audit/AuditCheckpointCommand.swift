import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeClient

/// `kauth audit checkpoint`: a freshly signed checkpoint of the chain head from the server,
/// to keep somewhere the server cannot reach.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Export a signed checkpoint of the audit chain head (keep it off the machine)."
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .shortAndLong, help: "Write it to this file instead of standard output.")
    var out: String?

    func run() async throws {
        let checkpoint = try await client.withClient { try await $0.request("GET", "/palisade/v1/audit/checkpoint", json: nil).requireJSON() }
        let text = JSONSerializer.string(checkpoint) + "\n"
        guard let out else { return print(text, terminator: "") }
        guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KauthError("cannot write \(out)")
        }
    }
}
