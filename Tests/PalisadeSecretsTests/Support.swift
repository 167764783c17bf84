import Foundation
import PalisadeStore

@testable import PalisadeSecrets

/// A fresh temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-secrets-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

/// An encrypting store over a fresh SQLite store; `body` gets both.
func withEncryptingStore<T>(
    _ configuration: EncryptionConfiguration, _ body: (EncryptingStore, SQLiteStore, String) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        let sqlite = try SQLiteStore(path: directory + "/store.db")
        defer { sqlite.close() }
        return try await body(EncryptingStore(base: sqlite, configuration: configuration), sqlite, directory)
    }
}

func key(_ name: String, byte: UInt8, size: Int = 32) -> EncryptionConfiguration.Key {
    .init(name: name, secret: [UInt8](repeating: byte, count: size))
}

/// Secrets encrypted with secretbox under `keys` (the first writes), optionally readable as plaintext.
func secretsConfiguration(_ keys: [EncryptionConfiguration.Key], identity: Bool = false) -> EncryptionConfiguration {
    .init(rules: [.init(resources: ["secrets"], providers: [.secretbox(keys: keys)] + (identity ? [.identity] : []))])
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func secretKey(_ name: String, namespace: String = "default") -> String { "/registry/core/secrets/\(namespace)/\(name)" }
