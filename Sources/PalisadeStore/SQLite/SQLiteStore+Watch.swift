import GRDB

extension SQLiteStore {
    public func watch(prefix: String, afterRevision: Int64) async throws(StoreError) -> AsyncThrowingStream<StoreEvent, any Error> {
        // Register first, then read history: whatever commits in between is held by the hub
        // and delivered after the history, without repeats.
        let (id, stream) = hub.register(prefix: prefix, afterRevision: afterRevision)
        do {
            let history = try await read { db in
                let compacted = try SQLiteSchema.compactedRevision(db)
                if afterRevision < compacted { throw StoreError(.compacted(compactedRevision: compacted)) }
                let statement = try db.cachedStatement(sql: """
                    SELECT key, revision, create_revision, value, deleted FROM kv
                    WHERE revision > ? AND key >= ? AND key < ? AND key > ?
                    ORDER BY revision
                    """)
                return try Row.fetchAll(statement, arguments: [afterRevision] + Self.bounds(prefix: prefix, startAfter: nil))
                    .map(Self.event)
            }
            hub.deliverHistory(history, to: id)
        } catch {
            hub.fail(id, with: error)
            throw error
        }
        return stream
    }

    static func event(_ row: Row) -> StoreEvent {
        let kv = keyValue(row)
        let deleted: Bool = row[4]
        let kind: StoreEvent.Kind = deleted ? .deleted : (kv.createRevision == kv.modRevision ? .created : .updated)
        return StoreEvent(kind: kind, current: kv)
    }

    /// Number of live watchers (for tests and metrics).
    public var activeWatchers: Int { hub.watcherCount }
}
