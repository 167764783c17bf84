import ArgumentParser
import Foundation

/// `kauth user add NAME [--group G]... [--ttl 720h] [--out FILE]`.
struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Issue a client certificate for a new user and write their kubeconfig (mode 0600).",
        discussion: "The private key is made here and never sent; the server signs an approved CertificateSigningRequest."
    )

    @Argument(help: "The user name (a DNS-1123 subdomain).")
    var name: String

    @Option(name: .customLong("group"), help: "A group of the user (repeatable).")
    var groups: [String] = []

    @Option(help: "How long the certificate is valid, e.g. 720h or 90d (the server caps it).")
    var ttl = "720h"

    @Option(help: "Where to write the kubeconfig (default: NAME.kubeconfig).")
    var out: String?

    @Flag(help: "Replace the kubeconfig file if it exists.")
    var force = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let user = try Names.requireSubdomain(name, "user name")
        let groups = try groups.map(Names.requireGroup)
        let seconds = try DurationArgument.seconds(ttl, option: "--ttl")
        let path = UserKubeconfig.path(out, user: user)
        if FileManager.default.fileExists(atPath: path) && !force { throw KauthError("\(path) exists (use --force to replace it)") }
        try await client.withAPI { api in
            if let existing = try await api.certificates().first(where: { $0.user == user && $0.isValid() }) {
                throw KauthError("user \"\(user)\" exists with certificate \(existing.serial) (use kauth user rotate \(user))")
            }
            let issued = try await CertificateIssuer(api: api).issue(user: user, groups: groups, expirationSeconds: seconds)
            try await UserKubeconfig.deliver(user: user, issued: issued, cluster: client.path, to: path, api: api)
            print("user \"\(user)\" added (certificate \(issued.serial)); kubeconfig written to \(path)")
        }
    }
}
