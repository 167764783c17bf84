import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeAudit
import PalisadeClient

/// `kauth audit follow [filters]`: matching events as the server writes them.
struct AuditFollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "follow", abstract: "Stream new audit events that match the filters.")

    @OptionGroup var filters: AuditFilterOptions
    @OptionGroup var client: ClientOptions

    @Option(name: .shortAndLong, help: "Output: table or jsonl.")
    var output: AuditOutputFormat = .table

    func run() async throws {
        let path = AuditSource.eventsPath + "?" + AuditSource.encode(try filters.query().parameters + [("follow", "true")])
        try await client.withClient { client in
            if output == .table { print(AuditPrinter.header.joined(separator: "\t")) }
            for try await event in try await client.watch(path) {
                print(output == .table ? AuditPrinter.row(event).joined(separator: "\t") : JSONSerializer.string(event))
                fflush(nil)
            }
        }
    }
}
