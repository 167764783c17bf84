/// What can go wrong in a ``Store``. Messages carry keys and revisions, never values.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Create found the key present.
        case keyExists
        /// Update or delete found no such key.
        case keyNotFound
        /// The guard revision did not match the key's newest version.
        case revisionMismatch(current: Int64)
        /// The requested revision is at or below the compacted revision.
        case compacted(compactedRevision: Int64)
        /// A watcher fell behind by more events than it may buffer.
        case watcherTooSlow
        /// The backend failed (I/O, corruption, closed).
        case backend
        /// A stored value could not be turned back into the object (for example it does not
        /// decrypt); the detail names the key and the reason, never the bytes.
        case unreadable
    }

    public let code: Code
    public let key: String?
    private let detail: String

    public init(_ code: Code, key: String? = nil, detail: String = "") {
        self.code = code
        self.key = key
        self.detail = detail
    }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code && lhs.key == rhs.key }

    public var description: String {
        let subject = key.map { " (\($0))" } ?? ""
        switch code {
        case .keyExists: return "key exists\(subject)"
        case .keyNotFound: return "key not found\(subject)"
        case .revisionMismatch(let current): return "revision mismatch\(subject), current \(current)"
        case .compacted(let revision): return "revision compacted, oldest available is \(revision + 1)"
        case .watcherTooSlow: return "watcher fell too far behind"
        case .backend: return "store backend error\(subject): \(detail)"
        case .unreadable: return "cannot read \(key ?? "value"): \(detail)"
        }
    }
}
