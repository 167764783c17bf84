import PalisadeAPI

/// The three Pod Security Standards levels, from least to most strict.
///
/// `Comparable` orders them by strictness, which is what "enforce is stricter than warn"
/// means when a namespace's warn mode is defaulted.
public enum PodSecurityLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case privileged
    case baseline
    case restricted

    /// The message Kubernetes gives for a label value that names no level.
    public static let invalidLabelMessage = "must be one of privileged, baseline, restricted"

    public static func < (lhs: PodSecurityLevel, rhs: PodSecurityLevel) -> Bool {
        lhs.strictness < rhs.strictness
    }

    private var strictness: Int {
        switch self {
        case .privileged: return 0
        case .baseline: return 1
        case .restricted: return 2
        }
    }
}
