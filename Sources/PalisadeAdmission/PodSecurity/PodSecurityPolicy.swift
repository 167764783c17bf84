import PalisadeAPI

/// The level and version each mode applies to pods in one namespace.
public struct PodSecurityPolicy: Sendable, Hashable {
    public var enforce: PodSecurityLevelVersion
    public var audit: PodSecurityLevelVersion
    public var warn: PodSecurityLevelVersion

    public init(enforce: PodSecurityLevelVersion, audit: PodSecurityLevelVersion, warn: PodSecurityLevelVersion) {
        self.enforce = enforce
        self.audit = audit
        self.warn = warn
    }

    /// `privileged:latest` in every mode: Kubernetes' admission-configuration defaults.
    public static let privileged = PodSecurityPolicy(
        enforce: PodSecurityLevelVersion(.privileged), audit: PodSecurityLevelVersion(.privileged),
        warn: PodSecurityLevelVersion(.privileged)
    )

    public subscript(mode: PodSecurityMode) -> PodSecurityLevelVersion {
        get {
            switch mode {
            case .enforce: return enforce
            case .audit: return audit
            case .warn: return warn
            }
        }
        set {
            switch mode {
            case .enforce: enforce = newValue
            case .audit: audit = newValue
            case .warn: warn = newValue
            }
        }
    }

    /// True when no mode can ever object to a pod, so evaluation can be skipped.
    public var isFullyPrivileged: Bool {
        PodSecurityMode.allCases.allSatisfy { self[$0].level == .privileged }
    }
}
