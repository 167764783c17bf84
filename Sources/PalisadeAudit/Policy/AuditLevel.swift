/// How much of a request an audit event records, from nothing to both bodies
/// (`audit.k8s.io/v1` levels, in increasing order).
public enum AuditLevel: String, Sendable, CaseIterable, Comparable {
    case none = "None"
    case metadata = "Metadata"
    case request = "Request"
    case requestResponse = "RequestResponse"

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: AuditLevel, rhs: AuditLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The points in a request's life at which an event is written.
public enum AuditStage: String, Sendable, CaseIterable {
    case requestReceived = "RequestReceived"
    /// Only for long-running requests (watches), once the headers are sent.
    case responseStarted = "ResponseStarted"
    case responseComplete = "ResponseComplete"
    case panic = "Panic"
}
