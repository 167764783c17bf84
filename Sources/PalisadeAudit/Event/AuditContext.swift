import Synchronization

/// What the stages of one request tell its audit event on the way: annotations
/// (authorization's decision, admission plugins' findings) and the name of an object being
/// created (which the URL does not carry). The gateway binds one per request with
/// ``current``, so a plugin deep in the registry reports without the event being passed down.
public final class AuditContext: Sendable {
    private struct State {
        var annotations: [String: String] = [:]
        var createdName: String?
    }

    private let state = Mutex(State())

    @TaskLocal public static var current: AuditContext?

    public init() {}

    public func add(_ annotations: [String: String]) {
        guard !annotations.isEmpty else { return }
        state.withLock { $0.annotations.merge(annotations) { _, new in new } }
    }

    public var annotations: [String: String] { state.withLock { $0.annotations } }

    /// The name of the object a create request makes, once known.
    public var createdName: String? {
        get { state.withLock { $0.createdName } }
        set { state.withLock { $0.createdName = newValue } }
    }

    /// Adds to the request being served, if it is audited.
    public static func record(_ annotations: [String: String]) {
        current?.add(annotations)
    }
}
