import Foundation
import GRDB

extension SQLiteStore {
    public func compact(through revision: Int64) async throws(StoreError) {
        let batch = configuration.compactionBatch
        let (from, target) = try await read { db in
            (try SQLiteSchema.compactedRevision(db), min(revision, try SQLiteSchema.currentRevision(db)))
        }
        guard target > from else { return }
        // Small transactions, oldest first, so concurrent writes wait milliseconds at most.
        var done = from
        while done < target {
            let upTo = min(done + batch, target)
            try await writeMaintenance { [done] db in
                // Each write in the batch supersedes every older row of its key, wherever that
                // row sits in history; a tombstone in the batch goes as well.
                try db.execute(
                    sql: """
                        DELETE FROM kv WHERE revision IN (
                            SELECT older.revision FROM kv AS newer
                            JOIN kv AS older ON older.key = newer.key AND older.revision < newer.revision
                            WHERE newer.revision > ? AND newer.revision <= ?);
                        DELETE FROM kv WHERE revision > ? AND revision <= ? AND deleted = 1;
                        """,
                    arguments: [done, upTo, done, upTo]
                )
                try SQLiteSchema.setCompactedRevision(db, upTo)
            }
            done = upTo
        }
        try await releaseFreePages()
    }

    /// Hands pages freed by compaction back to the file system and truncates the WAL,
    /// so the files shrink after churn and no superseded value (say, ciphertext under a
    /// retired key) lingers in old WAL frames.
    private func releaseFreePages() async throws(StoreError) {
        do {
            try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA incremental_vacuum") }
            // A truncating checkpoint gives up while a reader still holds an older snapshot;
            // readers here are short, so retry for about two seconds rather than leave the
            // frames. If it never completes, the next compaction tries again.
            let deadline = ContinuousClock.now + .seconds(2)
            while try await !truncateWAL(), ContinuousClock.now < deadline {
                guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return }
            }
        } catch {
            throw StoreError(.backend, detail: "\(error)")
        }
    }

    /// One `wal_checkpoint(TRUNCATE)`; true when it completed (its `busy` column is 0). It
    /// waits for readers at most 50 ms (not the connection's usual busy timeout), since the
    /// writer is held meanwhile.
    private func truncateWAL() async throws -> Bool {
        try await pool.writeWithoutTransaction { db in
            let usual = try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 0
            try db.execute(sql: "PRAGMA busy_timeout = 50")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(usual)") }
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return (row?[0] as Int?) == 0
        }
    }

    private func writeMaintenance(_ body: @escaping @Sendable (Database) throws -> Void) async throws(StoreError) {
        do {
            try await pool.write(body)
        } catch {
            throw StoreError(.backend, detail: "\(error)")
        }
    }

    /// Bytes used by the database file and its WAL.
    public func diskUsage() -> (database: Int, wal: Int) {
        func size(_ path: String) -> Int {
            var info = stat()
            return stat(path, &info) == 0 ? Int(info.st_size) : 0
        }
        return (size(pool.path), size(pool.path + "-wal"))
    }
}
