import Foundation
import Testing

@testable import PalisadeStore

/// A fresh store in a temporary directory, removed afterwards.
func withStore<T>(
    _ configure: (inout SQLiteStoreConfiguration) -> Void = { _ in },
    _ body: (SQLiteStore, String) async throws -> T
) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = SQLiteStoreConfiguration()
    configure(&configuration)
    let path = directory.appendingPathComponent("store.db").path
    let store = try SQLiteStore(path: path, configuration: configuration)
    defer { store.close() }
    return try await body(store, path)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct SQLiteStoreTests {
    @Test func createGetUpdateDeleteBumpOneRevision() async throws {
        try await withStore { store, _ in
            let created = try await store.create("/registry/pods/a/x", value: bytes("1"))
            #expect(created.modRevision == 1 && created.createRevision == 1)
            let other = try await store.create("/registry/pods/a/y", value: bytes("2"))
            #expect(other.modRevision == 2)
            let updated = try await store.update("/registry/pods/a/x", value: bytes("3"), expectedRevision: 1)
            #expect(updated.modRevision == 3 && updated.createRevision == 1)
            #expect(try await store.get("/registry/pods/a/x")?.value == bytes("3"))
            let deleted = try await store.delete("/registry/pods/a/x", expectedRevision: nil)
            #expect(deleted.modRevision == 4 && deleted.value == bytes("3"))
            #expect(try await store.get("/registry/pods/a/x") == nil)
            #expect(try await store.currentRevision() == 4)
        }
    }

    @Test func createRefusesAnExistingKeyAndKeepsTheValue() async throws {
        try await withStore { store, _ in
            _ = try await store.create("/k", value: bytes("first"))
            await #expect(throws: StoreError(.keyExists, key: "/k")) { try await store.create("/k", value: bytes("second")) }
            #expect(try await store.get("/k")?.value == bytes("first"))
        }
    }

    @Test func staleRevisionConflictsAndChangesNothing() async throws {
        try await withStore { store, _ in
            let first = try await store.create("/k", value: bytes("a"))
            _ = try await store.update("/k", value: bytes("b"), expectedRevision: first.modRevision)
            await #expect(throws: StoreError(.revisionMismatch(current: 2), key: "/k")) {
                try await store.update("/k", value: bytes("c"), expectedRevision: first.modRevision)
            }
            await #expect(throws: StoreError(.revisionMismatch(current: 2), key: "/k")) {
                try await store.delete("/k", expectedRevision: first.modRevision)
            }
            #expect(try await store.get("/k")?.value == bytes("b"))
            #expect(try await store.currentRevision() == 2)
        }
    }

    @Test func missingKeysAreReported() async throws {
        try await withStore { store, _ in
            await #expect(throws: StoreError(.keyNotFound, key: "/nope")) { try await store.update("/nope", value: [], expectedRevision: nil) }
            await #expect(throws: StoreError(.keyNotFound, key: "/nope")) { try await store.delete("/nope", expectedRevision: nil) }
        }
    }

    @Test func rangePagesConsistentlyAtTheFirstPagesRevision() async throws {
        try await withStore { store, _ in
            for name in ["a", "b", "c", "d"] { _ = try await store.create("/registry/cm/ns/\(name)", value: bytes(name)) }
            _ = try await store.create("/registry/cmx/other", value: bytes("x"))
            let first = try await store.range(prefix: "/registry/cm/", startAfter: nil, limit: 2, revision: nil)
            #expect(first.items.map(\.key) == ["/registry/cm/ns/a", "/registry/cm/ns/b"])
            #expect(first.hasMore)
            // Changes after the first page must not show in the next page read at its revision.
            _ = try await store.delete("/registry/cm/ns/c", expectedRevision: nil)
            _ = try await store.update("/registry/cm/ns/d", value: bytes("D"), expectedRevision: nil)
            let second = try await store.range(prefix: "/registry/cm/", startAfter: "/registry/cm/ns/b", limit: 2, revision: first.revision)
            #expect(second.items.map(\.key) == ["/registry/cm/ns/c", "/registry/cm/ns/d"])
            #expect(second.items.last?.value == bytes("d"))
            #expect(!second.hasMore)
            let now = try await store.range(prefix: "/registry/cm/", startAfter: nil, limit: nil, revision: nil)
            #expect(now.items.map(\.key) == ["/registry/cm/ns/a", "/registry/cm/ns/b", "/registry/cm/ns/d"])
            #expect(try await store.count(prefix: "/registry/cm/") == 3)
        }
    }

    @Test func watchReplaysHistoryThenLiveEventsInOrder() async throws {
        try await withStore { store, _ in
            _ = try await store.create("/registry/pods/ns/a", value: bytes("1"))
            _ = try await store.create("/registry/other/x", value: bytes("o"))
            _ = try await store.update("/registry/pods/ns/a", value: bytes("2"), expectedRevision: nil)
            let stream = try await store.watch(prefix: "/registry/pods/", afterRevision: 1)
            _ = try await store.delete("/registry/pods/ns/a", expectedRevision: nil)
            _ = try await store.create("/registry/pods/ns/b", value: bytes("3"))
            var seen: [(StoreEvent.Kind, Int64)] = []
            for try await event in stream {
                seen.append((event.kind, event.revision))
                if seen.count == 3 { break }
            }
            #expect(seen.map(\.0) == [.updated, .deleted, .created])
            #expect(seen.map(\.1) == [3, 4, 5])
        }
    }

    @Test func compactionKeepsCurrentStateAndExpiresOldRevisions() async throws {
        try await withStore { store, _ in
            _ = try await store.create("/k/a", value: bytes("1"))
            _ = try await store.update("/k/a", value: bytes("2"), expectedRevision: nil)
            _ = try await store.create("/k/b", value: bytes("x"))
            _ = try await store.delete("/k/b", expectedRevision: nil)
            try await store.compact(through: 4)
            #expect(try await store.compactedRevision() == 4)
            #expect(try await store.get("/k/a")?.value == bytes("2"))
            #expect(try await store.get("/k/b") == nil)
            await #expect(throws: StoreError(.compacted(compactedRevision: 4))) { try await store.watch(prefix: "/k/", afterRevision: 2) }
            await #expect(throws: StoreError(.compacted(compactedRevision: 4))) {
                try await store.range(prefix: "/k/", startAfter: nil, limit: 1, revision: 3)
            }
            // Revisions are never reused, even though the newest row (a tombstone) is gone.
            #expect(try await store.create("/k/c", value: []).modRevision == 5)
        }
    }

    @Test func filesStayBoundedUnderChurnWithCompaction() async throws {
        try await withStore({ $0.walSizeLimit = 1 << 20 }) { store, _ in
            let payload = [UInt8](repeating: 0x61, count: 2_000)
            var sizes: [Int] = []
            for _ in 0..<6 {
                for i in 0..<400 {
                    let key = "/churn/\(i % 50)"
                    if try await store.get(key) == nil {
                        _ = try await store.create(key, value: payload)
                    } else {
                        _ = try await store.update(key, value: payload, expectedRevision: nil)
                    }
                }
                try await store.compact(through: try await store.currentRevision())
                let usage = store.diskUsage()
                sizes.append(usage.database + usage.wal)
            }
            // 2,400 writes of 2 kB would need about 5 MB; after compaction only the 50 live
            // keys remain, and the files do not grow from one round of churn to the next.
            #expect(sizes.allSatisfy { $0 < 600_000 }, "\(sizes)")
            #expect(sizes.last! <= sizes[1], "\(sizes)")
        }
    }

    @Test func dataSurvivesReopening() async throws {
        try await withStore { store, path in
            _ = try await store.create("/k", value: bytes("kept"))
            let second = try SQLiteStore(path: path)
            defer { second.close() }
            #expect(try await second.get("/k")?.value == bytes("kept"))
            #expect(try await second.currentRevision() == 1)
        }
    }
}
