import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeAuth
import PalisadeClient
import PalisadeSecrets
import PalisadeStore

/// `palisade secrets status|rotate`: encryption at rest of a data directory. With a server
/// running on it (it holds the directory's lock), the work is asked of that server through
/// the API with the admin kubeconfig; otherwise it is done here, on the files, under the lock.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets", abstract: "Encryption at rest: status and key rotation.",
        subcommands: [Status.self, Rotate.self]
    )

    struct Target: ParsableArguments {
        @Option(help: "The server's data directory.")
        var dataDir = "var"

        @Option(help: "EncryptionConfiguration file, when the server is not running (default: <data-dir>/pki/encryption-config.yaml).")
        var encryptionConfig: String?

        @Option(name: .shortAndLong, help: "Output: table or json.")
        var output: OutputFormat = .table

        /// Runs `offline` on the files when no server holds the directory, `online` against the server otherwise.
        func perform(online: (PalisadeClient) async throws -> JSONValue, offline: (EncryptionAdministrator) async throws -> JSONValue) async throws -> JSONValue {
            if let lock = try DataDirectoryLock.acquire(directory: dataDir) {
                defer { withExtendedLifetime(lock) {} }
                let databasePath = dataDir + "/store.db"
                guard FileManager.default.fileExists(atPath: databasePath) else { throw ValidationError("no store at \(databasePath)") }
                let file = EncryptionConfigFile(path: encryptionConfig ?? EncryptionSetup.defaultConfigPath(dataDir: dataDir))
                let sqlite = try SQLiteStore(path: databasePath)
                defer { sqlite.close() }
                let store = EncryptingStore(base: sqlite, configuration: try file.load())
                return try await offline(EncryptionAdministrator(store: store, file: file))
            }
            let client = try PalisadeClient(kubeconfigPath: dataDir + "/admin.kubeconfig", connections: 1)
            do {
                let answer = try await online(client)
                try await client.shutdown()
                return answer
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    enum OutputFormat: String, ExpressibleByArgument { case table, json }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many stored objects each key protects.")

        @OptionGroup var target: Target

        func run() async throws {
            let json = try await target.perform(
                online: { client in try await client.request("GET", "/palisade/v1/encryption/status", json: nil).requireJSON() },
                offline: { administrator in try await administrator.status().json }
            )
            print(target.output == .json ? JSONSerializer.string(json) : EncryptionTables.status(try EncryptionStatus(json: json)))
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a new writer key, re-encrypt every stored object under it, then retire the old keys."
        )

        @OptionGroup var target: Target

        func run() async throws {
            let json = try await target.perform(
                online: { client in
                    try await client.request("POST", "/palisade/v1/encryption/rotate", body: nil, contentType: nil, timeout: .seconds(3600))
                        .requireJSON()
                },
                offline: { administrator in try await administrator.rotate().json }
            )
            print(target.output == .json ? JSONSerializer.string(json) : EncryptionTables.rotation(try KeyRotation.Report(json: json)))
        }
    }
}

/// The human-readable forms of status and rotation reports.
enum EncryptionTables {
    static func status(_ status: EncryptionStatus) -> String {
        var rows = [["RESOURCES", "WRITER", "KEY", "OBJECTS"]]
        for rule in status.rules {
            let resources = rule.resources.joined(separator: ",")
            if rule.objects.isEmpty { rows.append([resources, rule.writer, "-", "0"]) }
            for entry in rule.objects { rows.append([resources, rule.writer, entry.key, String(entry.count)]) }
        }
        return TextTable.render(rows)
    }

    static func rotation(_ report: KeyRotation.Report) -> String {
        """
        new writer keys: \(report.newKeys.joined(separator: ", "))
        re-encrypted objects: \(report.rewritten)
        retired keys: \(report.retiredKeys.isEmpty ? "none" : report.retiredKeys.joined(separator: ", "))
        \(status(report.status))
        """
    }
}
