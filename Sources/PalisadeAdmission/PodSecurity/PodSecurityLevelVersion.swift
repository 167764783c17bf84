import PalisadeAPI

/// A level at a policy version, written `restricted:latest` or `baseline:v1.22` as in
/// Kubernetes' messages and audit annotations.
public struct PodSecurityLevelVersion: Sendable, Hashable, CustomStringConvertible {
    public var level: PodSecurityLevel
    public var version: PodSecurityVersion

    public init(_ level: PodSecurityLevel, _ version: PodSecurityVersion = .latest) {
        self.level = level
        self.version = version
    }

    /// Parses `level:version`; nil unless both halves are valid (no fallbacks here: those
    /// belong to namespace labels, see ``NamespacePolicy``).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let level = PodSecurityLevel(rawValue: String(parts[0])),
            let version = PodSecurityVersion(String(parts[1]))
        else { return nil }
        self.init(level, version)
    }

    public var description: String { "\(level.rawValue):\(version)" }
}
