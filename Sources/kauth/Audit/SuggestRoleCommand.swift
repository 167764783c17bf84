import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeAudit

/// `kauth audit suggest-role --user U`: the least-privilege Role(s) covering what U did.
struct SuggestRoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest-role", abstract: "Write the least-privilege Roles that cover exactly what a user did."
    )

    @Option(help: "The user whose requests to cover.") var user: String
    @Option(help: "Only requests since a time or a duration ago.") var since = "7d"
    @Flag(help: "Also cover requests that were denied.") var includeDenied = false
    @Option(help: "Read this log file directly instead of asking the server.") var log: String?
    @Option(help: "How many of the user's newest requests to consider.") var limit = 100_000
    @OptionGroup var client: ClientOptions

    func run() async throws {
        var filters = AuditQuery()
        filters.user = user
        filters.since = try AuditQuery.time(since, parameter: "since")
        let events = try await AuditSource(log: log, client: client).events(matching: filters, limit: limit)
        let roles = RoleSuggestion(subject: user, includeDenied: includeDenied).roles(from: events)
        guard !roles.isEmpty else { throw KauthError("no requests by \(user) in the audit log since \(since)") }
        print("# Least-privilege RBAC for \(user), from \(events.count) audited request(s) since \(since).")
        print("# Bind with: kubectl create rolebinding … --role=<name> --user=\(user)")
        for role in roles {
            print("---")
            print(try YAMLText.render(role), terminator: "")
        }
    }
}
