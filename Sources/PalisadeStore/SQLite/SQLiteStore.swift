import Foundation
import GRDB

/// The default ``Store``: one SQLite file in WAL mode, behind GRDB's `DatabasePool`
/// (one serialized writer, concurrent readers, so writers never fight over the lock).
///
/// Every write is one transaction that appends a row to a single versioned table, `kv`:
/// the row's `revision` is the store-wide revision, a deletion is a tombstone row that keeps
/// the last value for watchers. The newest row of a key is its current version; older rows
/// are history, served to watchers and paginated reads until compaction removes them.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    let hub: WatchHub
    let configuration: SQLiteStoreConfiguration

    /// Opens (or creates) the database at `path`, a file only the owner may read.
    public init(path: String, configuration: SQLiteStoreConfiguration = .init()) throws(StoreError) {
        hub = WatchHub(maximumBacklog: configuration.watchBacklog)
        self.configuration = configuration
        do {
            try Self.createPrivately(path)
            pool = try DatabasePool(path: path, configuration: Self.databaseConfiguration(configuration))
            // NORMAL (GRDB's WAL default): a commit survives a crash of the process;
            // FULL also survives a power loss, at one fsync per write.
            if configuration.synchronousFull {
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            }
            try SQLiteSchema.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.backend, detail: "cannot open \(path): \(error)")
        }
    }

    /// Closes the database and ends every watch.
    public func close() {
        hub.finishAll()
        try? pool.close()
    }

    private static func createPrivately(_ path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError(.backend, detail: "cannot create \(path)")
            }
        }
    }

    private static func databaseConfiguration(_ settings: SQLiteStoreConfiguration) -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.maximumReaderCount = settings.maximumReaders
        config.prepareDatabase { db in
            // Runs before GRDB switches a new file to WAL, the only moment incremental
            // auto-vacuum can still be chosen (a no-op on an existing file). It lets
            // compaction hand freed pages back to the file system.
            guard !db.configuration.readonly else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            // After each checkpoint the WAL is truncated back to this size, so it stays bounded.
            try db.execute(sql: "PRAGMA journal_size_limit = \(settings.walSizeLimit)")
            // Freed pages are zeroed, so a value that was once stored (say a Secret written
            // before encryption was configured) does not linger in the file after it is gone.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        return config
    }

    // MARK: Reads

    public func currentRevision() async throws(StoreError) -> Int64 {
        try await read { db in try SQLiteSchema.currentRevision(db) }
    }

    public func compactedRevision() async throws(StoreError) -> Int64 {
        try await read { db in try SQLiteSchema.compactedRevision(db) }
    }

    public func get(_ key: String) async throws(StoreError) -> KeyValue? {
        try await read { db in
            guard let row = try Self.newestRow(db, key: key), !row.deleted else { return nil }
            return row.keyValue
        }
    }

    public func range(prefix: String, startAfter: String?, limit: Int?, revision: Int64?) async throws(StoreError) -> RangeResult {
        try await read { db in
            let current = try SQLiteSchema.currentRevision(db)
            let at = revision ?? current
            let compacted = try SQLiteSchema.compactedRevision(db)
            if at < compacted { throw StoreError(.compacted(compactedRevision: compacted)) }
            let bounds = Self.bounds(prefix: prefix, startAfter: startAfter)
            let statement = try db.cachedStatement(sql: """
                SELECT kv.key, kv.revision, kv.create_revision, kv.value
                FROM (SELECT key, MAX(revision) AS newest FROM kv
                      WHERE key >= ? AND key < ? AND key > ? AND revision <= ? GROUP BY key) AS latest
                JOIN kv ON kv.revision = latest.newest
                WHERE kv.deleted = 0
                ORDER BY kv.key
                LIMIT ?
                """)
            let fetchLimit = limit.map { $0 + 1 } ?? -1
            var items = try Row.fetchAll(statement, arguments: bounds + [at, fetchLimit]).map(Self.keyValue)
            let hasMore = limit.map { items.count > $0 } ?? false
            if hasMore { items.removeLast() }
            return RangeResult(items: items, revision: at, hasMore: hasMore)
        }
    }

    public func count(prefix: String) async throws(StoreError) -> Int {
        try await read { db in
            let bounds = Self.bounds(prefix: prefix, startAfter: nil)
            let statement = try db.cachedStatement(sql: """
                SELECT COUNT(*) FROM (SELECT key, MAX(revision) AS newest FROM kv
                                      WHERE key >= ? AND key < ? AND key > ? GROUP BY key) AS latest
                JOIN kv ON kv.revision = latest.newest WHERE kv.deleted = 0
                """)
            return try Int.fetchOne(statement, arguments: bounds) ?? 0
        }
    }

    // MARK: Writes

    public func create(_ key: String, value: [UInt8]) async throws(StoreError) -> KeyValue {
        try await write(key) { db in
            if let newest = try Self.newestRow(db, key: key), !newest.deleted { throw StoreError(.keyExists, key: key) }
            let revision = try SQLiteSchema.currentRevision(db) + 1
            return (try Self.append(db, key: key, revision: revision, createRevision: revision, deleted: false, value: value), .created)
        }
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws(StoreError) -> KeyValue {
        try await write(key) { db in
            let newest = try Self.existingRow(db, key: key, expectedRevision: expectedRevision)
            let revision = try SQLiteSchema.currentRevision(db) + 1
            let kv = try Self.append(db, key: key, revision: revision, createRevision: newest.createRevision, deleted: false, value: value)
            return (kv, .updated)
        }
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws(StoreError) -> KeyValue {
        try await write(key) { db in
            let newest = try Self.existingRow(db, key: key, expectedRevision: expectedRevision)
            let revision = try SQLiteSchema.currentRevision(db) + 1
            let kv = try Self.append(db, key: key, revision: revision, createRevision: newest.createRevision, deleted: true, value: newest.value)
            return (kv, .deleted)
        }
    }

    /// Runs one write transaction and publishes its event to watchers after the commit.
    private func write(
        _ key: String,
        _ body: @escaping @Sendable (Database) throws -> (KeyValue, StoreEvent.Kind)
    ) async throws(StoreError) -> KeyValue {
        let hub = self.hub
        do {
            return try await pool.write { db in
                let (kv, kind) = try body(db)
                // Runs on the writer's queue right after the commit, so events leave in revision order.
                db.afterNextTransaction(onCommit: { _ in hub.publish([StoreEvent(kind: kind, current: kv)]) })
                return kv
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.backend, key: key, detail: "\(error)")
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.backend, detail: "\(error)")
        }
    }

    // MARK: Rows

    struct StoredRow {
        var keyValue: KeyValue
        var deleted: Bool
        var createRevision: Int64 { keyValue.createRevision }
        var modRevision: Int64 { keyValue.modRevision }
        var value: [UInt8] { keyValue.value }
    }

    static func newestRow(_ db: Database, key: String) throws -> StoredRow? {
        let statement = try db.cachedStatement(
            sql: "SELECT key, revision, create_revision, value, deleted FROM kv WHERE key = ? ORDER BY revision DESC LIMIT 1"
        )
        guard let row = try Row.fetchOne(statement, arguments: [key]) else { return nil }
        return StoredRow(keyValue: keyValue(row), deleted: row[4] as Bool)
    }

    private static func existingRow(_ db: Database, key: String, expectedRevision: Int64?) throws -> StoredRow {
        guard let newest = try newestRow(db, key: key), !newest.deleted else { throw StoreError(.keyNotFound, key: key) }
        if let expectedRevision, expectedRevision != newest.modRevision {
            throw StoreError(.revisionMismatch(current: newest.modRevision), key: key)
        }
        return newest
    }

    private static func append(
        _ db: Database, key: String, revision: Int64, createRevision: Int64, deleted: Bool, value: [UInt8]
    ) throws -> KeyValue {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO kv (revision, key, create_revision, deleted, value) VALUES (?, ?, ?, ?, ?)"
        )
        try statement.execute(arguments: [revision, key, createRevision, deleted, Data(value)])
        try SQLiteSchema.setCurrentRevision(db, revision)
        return KeyValue(key: key, value: value, createRevision: createRevision, modRevision: revision)
    }

    static func keyValue(_ row: Row) -> KeyValue {
        let data: Data = row[3]
        return KeyValue(key: row[0], value: [UInt8](data), createRevision: row[2], modRevision: row[1])
    }

    /// Statement arguments for `key >= ? AND key < ? AND key > ?`: the prefix's range,
    /// starting after `startAfter` (keys are never empty, so "" starts at the beginning).
    static func bounds(prefix: String, startAfter: String?) -> StatementArguments {
        [prefix, KeyRange.end(ofPrefix: prefix) ?? "\u{10FFFF}", startAfter ?? ""]
    }
}
