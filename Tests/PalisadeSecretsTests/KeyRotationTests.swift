import Foundation
import PalisadeStore
import Testing

@testable import PalisadeSecrets

@Suite struct KeyRotationTests {
    /// Rotation while writers create and update Secrets: nothing is lost, everything ends
    /// under the new key, the old key leaves the file, and no stored row (history included)
    /// is sealed with it.
    @Test func rotationUnderConcurrentWrites() async throws {
        try await withTemporaryDirectory { directory in
            let file = EncryptionConfigFile(path: directory + "/encryption.yaml")
            try file.save(secretsConfiguration([key("old", byte: 1)]))
            let sqlite = try SQLiteStore(path: directory + "/store.db")
            defer { sqlite.close() }
            let store = EncryptingStore(base: sqlite, configuration: try file.load())
            for index in 0..<200 { _ = try await store.create(secretKey("s\(index)"), value: bytes(#"{"v":"\#(index)"}"#)) }

            let administrator = EncryptionAdministrator(store: store, file: file)
            let report = try await withThrowingTaskGroup(of: KeyRotation.Report?.self) { group in
                group.addTask {
                    for index in 0..<150 {
                        _ = try await store.create(secretKey("w\(index)"), value: bytes(#"{"w":"\#(index)"}"#))
                        _ = try await store.update(secretKey("s\(index)"), value: bytes(#"{"v":"u\#(index)"}"#), expectedRevision: nil)
                    }
                    return nil
                }
                group.addTask { try await administrator.rotate() }
                var report: KeyRotation.Report?
                for try await result in group { report = report ?? result }
                return try #require(report)
            }

            #expect(report.retiredKeys == ["secretbox:old"])
            let newKey = try #require(report.newKeys.first)
            #expect(try file.load() == store.configuration)
            #expect(store.configuration.rules[0].providers == [.secretbox(keys: store.configuration.rules[0].providers[0].keys)])
            #expect(store.configuration.rules[0].providers[0].keys.map(\.name) == [newKey])

            // Every Secret reads, with its newest value.
            for index in 0..<200 {
                let expected = index < 150 ? #"{"v":"u\#(index)"}"# : #"{"v":"\#(index)"}"#
                #expect(try await store.get(secretKey("s\(index)"))?.value == bytes(expected))
            }
            for index in 0..<150 { #expect(try await store.get(secretKey("w\(index)"))?.value == bytes(#"{"w":"\#(index)"}"#)) }

            // Every current value is under the new key; rotation compacted history too.
            let status = try await administrator.status()
            #expect(status.rules[0].objects.map(\.key) == ["secretbox:\(newKey)"])
            #expect(status.rules[0].objects.map(\.count) == [350])
            let rows = try await sqlite.range(prefix: "/registry/", startAfter: nil, limit: nil, revision: nil)
            #expect(rows.items.allSatisfy { $0.value.starts(with: bytes("k8s:enc:secretbox:v1:\(newKey):")) })
            let database = try Data(contentsOf: URL(fileURLWithPath: directory + "/store.db"))
            let wal = (try? Data(contentsOf: URL(fileURLWithPath: directory + "/store.db-wal"))) ?? Data()
            let oldPrefix = Data("k8s:enc:secretbox:v1:old:".utf8)
            #expect(database.range(of: oldPrefix) == nil && wal.range(of: oldPrefix) == nil)
        }
    }

    @Test func identityOnlyHasNothingToRotate() async throws {
        try await withTemporaryDirectory { directory in
            let file = EncryptionConfigFile(path: directory + "/encryption.yaml")
            let configuration = EncryptionConfiguration(rules: [.init(resources: ["secrets"], providers: [.identity])])
            try file.save(configuration)
            let sqlite = try SQLiteStore(path: directory + "/store.db")
            defer { sqlite.close() }
            let administrator = EncryptionAdministrator(store: EncryptingStore(base: sqlite, configuration: configuration), file: file)
            await #expect(throws: EncryptionConfigError.self) { try await administrator.rotate() }
            #expect(try file.load() == configuration)
        }
    }

    /// A value that does not open stops the rotation before any key is retired.
    @Test func anUnreadableValueKeepsTheOldKeys() async throws {
        try await withTemporaryDirectory { directory in
            let file = EncryptionConfigFile(path: directory + "/encryption.yaml")
            try file.save(secretsConfiguration([key("old", byte: 1)]))
            let sqlite = try SQLiteStore(path: directory + "/store.db")
            defer { sqlite.close() }
            let store = EncryptingStore(base: sqlite, configuration: try file.load())
            _ = try await store.create(secretKey("a"), value: bytes("{}"))
            var stored = try #require(try await sqlite.get(secretKey("a"))).value
            stored[stored.count - 1] ^= 1
            _ = try await sqlite.update(secretKey("a"), value: stored, expectedRevision: nil)
            await #expect(throws: StoreError.self) { try await EncryptionAdministrator(store: store, file: file).rotate() }
            #expect(try file.load().rules[0].providers[0].keys.map(\.name).contains("old"))
        }
    }

    @Test func rotationKeepsIdentityAndDropsOtherProviders() throws {
        let current = EncryptionConfiguration(rules: [
            .init(resources: ["secrets"], providers: [
                .secretbox(keys: [key("a", byte: 1), key("b", byte: 2)]), .aesgcm(keys: [key("g", byte: 3)]), .identity,
            ]),
            .init(resources: ["configmaps"], providers: [.identity]),
        ])
        let plan = try RotationPlan(current, now: Date(timeIntervalSince1970: 0))
        #expect(plan.newKeys == [0: "key-19700101T000000Z"])
        #expect(plan.withNewKeys.rules[0].providers[0].keys.map(\.name) == ["key-19700101T000000Z", "a", "b"])
        #expect(plan.retired.rules[0].providers.map(\.name) == ["secretbox", "identity"])
        #expect(plan.retired.rules[0].providers[0].keys.map(\.name) == ["key-19700101T000000Z"])
        #expect(plan.retired.rules[1] == current.rules[1])
        #expect(plan.retiredKeys == ["secretbox:a", "secretbox:b", "aesgcm:g"])
    }
}
