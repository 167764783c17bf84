import PalisadeAPI

/// A violation together with the check that reported it.
public struct PodSecurityCheckResult: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    public let reason: String
    public let detail: String

    public init(id: String, reason: String, detail: String) {
        self.id = id
        self.reason = reason
        self.detail = detail
    }

    /// `reason (detail)`, or just the reason when there is no detail.
    public var description: String {
        detail.isEmpty ? reason : "\(reason) (\(detail))"
    }
}
