import Synchronization

/// Annotations the stages of one request add to its audit event (authorization's decision,
/// admission plugins' findings). The gateway binds one per request with ``current``, so a
/// plugin deep in the registry adds to it without the event being passed down.
public final class AuditAnnotations: Sendable {
    private let values = Mutex<[String: String]>([:])

    @TaskLocal public static var current: AuditAnnotations?

    public init() {}

    public func add(_ annotations: [String: String]) {
        guard !annotations.isEmpty else { return }
        values.withLock { $0.merge(annotations) { _, new in new } }
    }

    public func set(_ key: String, _ value: String) {
        values.withLock { $0[key] = value }
    }

    public var all: [String: String] { values.withLock { $0 } }

    /// Adds to the request being served, if it is audited.
    public static func record(_ annotations: [String: String]) {
        current?.add(annotations)
    }
}
