import ArgumentParser
import Foundation
import PalisadeAPI

/// `kauth user list`: every certificate the server issued, by user.
struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users and their certificates.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let records = try await client.withAPI { try await $0.certificates() }
        try output.print(document: UserTables.document(records), rows: UserTables.certificateRows(records, withUser: true))
    }
}

/// How certificates are shown by `user list` and `user show`.
enum UserTables {
    static func certificateRows(_ records: [CertificateRecord], withUser: Bool, now: Date = Date()) -> [[String]] {
        let sorted = records.sorted { ($0.user, $0.notBefore ?? .distantPast) < ($1.user, $1.notBefore ?? .distantPast) }
        let header = ["GROUPS", "SERIAL", "NOT AFTER", "STATUS"]
        return [(withUser ? ["NAME"] : []) + header] + sorted.map { record in
            let status = record.revoked ? "revoked" : record.isValid(at: now) ? "valid" : "expired"
            return (withUser ? [record.user] : []) + [
                record.groups.isEmpty ? "<none>" : record.groups.joined(separator: ","), record.serial,
                record.notAfter.map(Timestamp.format) ?? "", status,
            ]
        }
    }

    /// Users with their certificates, for `-o json|yaml`.
    static func document(_ records: [CertificateRecord]) -> JSONValue {
        let users = Dictionary(grouping: records, by: \.user).sorted { $0.key < $1.key }.map { user, certificates -> JSONValue in
            ["name": .string(user), "certificates": .array(certificates.map(\.json))]
        }
        return ["kind": "UserList", "apiVersion": "palisade.dev/v1", "items": .array(users)]
    }
}
