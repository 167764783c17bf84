/// Settings of a ``SQLiteStore``; the defaults suit a single-node cluster.
public struct SQLiteStoreConfiguration: Sendable {
    /// fsync on every commit (survives power loss) instead of at checkpoints (survives a process crash).
    public var synchronousFull = false
    /// Bytes the write-ahead log is truncated back to after a checkpoint.
    public var walSizeLimit = 32 * 1024 * 1024
    /// Concurrent read connections.
    public var maximumReaders = 8
    /// Events a watcher may have pending before it is cut off (it then re-lists, as with etcd).
    public var watchBacklog = 10_000
    /// Revisions deleted per compaction transaction, so writers are never held up for long.
    public var compactionBatch: Int64 = 2_000

    public init() {}
}
