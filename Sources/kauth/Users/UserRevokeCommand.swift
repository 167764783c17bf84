import ArgumentParser
import Foundation

/// `kauth user revoke NAME [--serial S]`: refused from the next handshake on, and open
/// connections made with the certificate are closed.
struct UserRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke every certificate of a user, or one (--serial)."
    )

    @Argument(help: "The user name.")
    var name: String

    @Option(help: "Revoke only this certificate (hex serial, as kauth user list shows it).")
    var serial: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let user = try Names.requireSubdomain(name, "user name")
        try await client.withAPI { api in
            let records = try await api.requireUser(user)
            let revoked: [String]
            if let serial {
                let wanted = serial.lowercased().replacingOccurrences(of: ":", with: "")
                guard let record = records.first(where: { $0.serial == wanted }) else {
                    throw KauthError("user \"\(user)\" has no certificate with serial \(serial)")
                }
                revoked = try await api.revoke(serial: record.serial)
            } else {
                revoked = try await api.revoke(user: user)
            }
            print("revoked \(revoked.count) certificate(s) of user \"\(user)\": \(revoked.joined(separator: ", "))")
        }
    }
}
