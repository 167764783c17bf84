import PalisadeAPI

/// The three ways a namespace applies a level: refuse the pod, record it in the audit log,
/// or warn the client.
public enum PodSecurityMode: String, Sendable, Hashable, CaseIterable {
    case enforce
    case audit
    case warn

    /// `pod-security.kubernetes.io/<mode>`, the label naming the level.
    public var levelLabel: String { "pod-security.kubernetes.io/\(rawValue)" }

    /// `pod-security.kubernetes.io/<mode>-version`, the label naming the policy version.
    public var versionLabel: String { levelLabel + "-version" }

    /// The level used when the level label names no level: enforce fails closed,
    /// audit and warn fail open (a typo must not silently weaken enforcement, nor flood logs).
    public var fallbackLevel: PodSecurityLevel { self == .enforce ? .restricted : .privileged }
}
