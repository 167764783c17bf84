import GRDB

/// The database layout and its named, append-only migrations.
enum SQLiteSchema {
    static func migrate(_ pool: DatabasePool) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-versioned-kv") { db in
            try db.execute(sql: """
                CREATE TABLE kv (
                    revision INTEGER PRIMARY KEY,
                    key TEXT NOT NULL,
                    create_revision INTEGER NOT NULL,
                    deleted INTEGER NOT NULL,
                    value BLOB NOT NULL
                );
                CREATE INDEX kv_key_revision ON kv (key, revision);
                CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                INSERT INTO meta (name, value) VALUES ('revision', 0), ('compacted', 0);
                """)
        }
        try migrator.migrate(pool)
    }

    /// The newest revision ever written. Kept in `meta` because compaction may delete the
    /// row that carried it (a tombstone), and revisions must never be reused.
    static func currentRevision(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE name = 'revision'")) ?? 0
    }

    static func setCurrentRevision(_ db: Database, _ revision: Int64) throws {
        try db.cachedStatement(sql: "UPDATE meta SET value = ? WHERE name = 'revision'").execute(arguments: [revision])
    }

    static func compactedRevision(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE name = 'compacted'")) ?? 0
    }

    static func setCompactedRevision(_ db: Database, _ revision: Int64) throws {
        try db.cachedStatement(sql: "UPDATE meta SET value = ? WHERE name = 'compacted'").execute(arguments: [revision])
    }
}
