import ArgumentParser
import Foundation

/// `kauth user rotate NAME`: a new certificate with the same groups; the old ones are revoked
/// once the new kubeconfig is written.
struct UserRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Issue a new certificate for a user, write their kubeconfig, then revoke the old ones."
    )

    @Argument(help: "The user name.")
    var name: String

    @Option(help: "How long the new certificate is valid, e.g. 720h.")
    var ttl = "720h"

    @Option(help: "Where to write the kubeconfig (default: NAME.kubeconfig; replaced).")
    var out: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let user = try Names.requireSubdomain(name, "user name")
        let seconds = try DurationArgument.seconds(ttl, option: "--ttl")
        let path = UserKubeconfig.path(out, user: user)
        try await client.withAPI { api in
            let records = try await api.requireUser(user)
            let newest = records.max { ($0.notBefore ?? .distantPast) < ($1.notBefore ?? .distantPast) }
            let issued = try await CertificateIssuer(api: api).issue(user: user, groups: newest?.groups ?? [], expirationSeconds: seconds)
            try await UserKubeconfig.deliver(user: user, issued: issued, cluster: client.path, to: path, api: api)
            let old = records.filter { !$0.revoked }.map(\.serial)
            for serial in old { try await api.revoke(serial: serial) }
            print("user \"\(user)\" rotated: certificate \(issued.serial) written to \(path); revoked \(old.isEmpty ? "none" : old.joined(separator: ", "))")
        }
    }
}
