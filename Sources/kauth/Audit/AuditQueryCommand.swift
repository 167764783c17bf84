import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeAudit

/// `kauth audit [filters]`: the matching events, from the server or (`--log`) from files.
struct AuditQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Show audit events that match the filters.")

    @OptionGroup var filters: AuditFilterOptions
    @OptionGroup var client: ClientOptions

    @Option(help: "Read this log file (and its rotated files) directly instead of asking the server.")
    var log: String?

    @Option(help: "At most this many events, the newest.")
    var limit = 500

    @Option(name: .shortAndLong, help: "Output: table, json or jsonl.")
    var output: AuditOutputFormat = .table

    func run() async throws {
        let events = try await AuditSource(log: log, client: client).events(matching: filters.query(), limit: limit)
        AuditPrinter.print(events, format: output)
    }
}

/// Where events come from: the server's audit endpoint, or log files for offline forensics.
struct AuditSource {
    static let eventsPath = "/palisade/v1/audit/events"

    let log: String?
    let client: ClientOptions

    func events(matching query: AuditQuery, limit: Int) async throws -> [JSONValue] {
        if let log {
            guard FileManager.default.fileExists(atPath: log) || !AuditLogFiles(path: log).backups().isEmpty else {
                throw KauthError("no audit log at \(log)")
            }
            return AuditLogReader(path: log).events(matching: query, limit: limit)
        }
        let path = Self.eventsPath + "?" + Self.encode(query.parameters + [("limit", String(limit))])
        let answer = try await client.withClient { try await $0.request("GET", path, json: nil).requireJSON() }
        return answer["items"]?.arrayValue ?? []
    }

    static func encode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+:,")
        return parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }
}
