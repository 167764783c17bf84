import PalisadeAPI

/// What a check found wrong, in Kubernetes' words: the short `forbiddenReason` that every
/// message shows, and the `forbiddenDetail` naming the containers and values at fault.
public struct PodSecurityViolation: Sendable, Hashable {
    public let reason: String
    public let detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// One Pod Security Standards check, such as `runAsNonRoot`.
///
/// A check belongs to the baseline or the restricted level, exists from its first revision
/// on, and may change its rule at later versions. A restricted check can replace
/// (`overrides`) baseline checks that it makes redundant; it does so only at versions where
/// it exists itself.
public protocol PodSecurityCheck: Sendable {
    /// The ID Kubernetes gives the check; results are ordered by it.
    var id: String { get }

    /// `.baseline` or `.restricted`.
    var level: PodSecurityLevel { get }

    /// The minor versions (of v1) at which the rule took effect or changed, ascending.
    var revisions: [Int] { get }

    /// IDs of the baseline checks this restricted check replaces where it applies.
    var overrides: [String] { get }

    /// Evaluates `pod` under the rule in force from minor version `revision`, one of ``revisions``.
    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation?
}

extension PodSecurityCheck {
    public var overrides: [String] { [] }

    /// The revision in force at minor version `minor`, or nil when the check did not exist yet.
    public func revision(at minor: Int) -> Int? {
        revisions.last { $0 <= minor }
    }
}
