/// One version of one key, as the store returns it.
public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    /// The revision at which the key was created (since its last deletion).
    public var createRevision: Int64
    /// The revision of the write that produced this version.
    public var modRevision: Int64

    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

/// A change seen by a watcher. For a deletion, `current` is the last stored version
/// of the key with `modRevision` set to the revision of the deletion.
public struct StoreEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case created
        case updated
        case deleted
    }

    public var kind: Kind
    public var current: KeyValue
    public var revision: Int64 { current.modRevision }

    public init(kind: Kind, current: KeyValue) {
        self.kind = kind
        self.current = current
    }
}

/// A page of a range read, taken at one revision.
public struct RangeResult: Sendable {
    public var items: [KeyValue]
    /// The revision the whole read was taken at; pass it back to read the next page consistently.
    public var revision: Int64
    /// True when the limit cut the range; continue after the last item's key.
    public var hasMore: Bool

    public init(items: [KeyValue], revision: Int64, hasMore: Bool) {
        self.items = items
        self.revision = revision
        self.hasMore = hasMore
    }
}

/// A revisioned key/value store with watch, modelled on etcd v3.
///
/// Every write gets the next value of one store-wide revision. Updates and deletes may be
/// guarded by the revision the caller last saw, so a stale writer gets a conflict instead of
/// overwriting. Reads can be taken at a past revision until compaction has removed it.
/// The API layers above use only this protocol, so another backend (etcd) can replace SQLite.
public protocol Store: Sendable {
    /// The revision of the newest write.
    func currentRevision() async throws(StoreError) -> Int64

    /// The revision below which history has been compacted away.
    func compactedRevision() async throws(StoreError) -> Int64

    /// The newest version of a key, or nil when it does not exist.
    func get(_ key: String) async throws(StoreError) -> KeyValue?

    /// Keys starting with `prefix`, in key order, strictly after `startAfter`, at most `limit`,
    /// as they were at `revision` (nil: now). A compacted revision throws ``StoreError/compacted``.
    func range(prefix: String, startAfter: String?, limit: Int?, revision: Int64?) async throws(StoreError) -> RangeResult

    /// Number of keys starting with `prefix` right now.
    func count(prefix: String) async throws(StoreError) -> Int

    /// Creates a key that does not exist; ``StoreError/keyExists`` otherwise.
    func create(_ key: String, value: [UInt8]) async throws(StoreError) -> KeyValue

    /// Replaces a key's value if its newest version has `expectedRevision` (nil: any).
    func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws(StoreError) -> KeyValue

    /// Deletes a key if its newest version has `expectedRevision` (nil: any); returns the
    /// deleted version with `modRevision` set to the deletion's revision.
    func delete(_ key: String, expectedRevision: Int64?) async throws(StoreError) -> KeyValue

    /// Changes under `prefix` with a revision greater than `afterRevision`, in revision order,
    /// first from history and then live. Throws ``StoreError/compacted`` (at once, or later
    /// through the sequence) when the history needed is gone, and ends the sequence with
    /// ``StoreError/watcherTooSlow`` if the consumer falls too far behind.
    func watch(prefix: String, afterRevision: Int64) async throws(StoreError) -> AsyncThrowingStream<StoreEvent, any Error>

    /// Forgets history at and below `revision`, keeping the newest version of every live key.
    func compact(through revision: Int64) async throws(StoreError)
}
