import PalisadeAPI

/// Reads a namespace's `pod-security.kubernetes.io/*` labels into a ``PodSecurityPolicy``,
/// with Kubernetes' fallbacks (`api.PolicyToEvaluate`).
///
/// A usable policy always comes back, even when labels are wrong: a bad version means
/// `latest`, a bad enforce level means `restricted` (fail closed), a bad audit or warn level
/// means `privileged` (fail open). Each bad label is also reported, so the namespace write can
/// be refused or warned about.
public enum NamespacePolicy {
    public struct Parsed: Sendable, Hashable {
        public var policy: PodSecurityPolicy
        public var errors: [LabelError]
    }

    /// One label that could not be parsed, worded as Kubernetes' field error.
    public struct LabelError: Error, Sendable, Hashable, CustomStringConvertible {
        public let label: String
        public let value: String
        public let message: String

        /// `metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "foo": must be ...`
        public var description: String {
            "metadata.labels[\(label)]: Invalid value: \(Phrase.goQuoted(value)): \(message)"
        }
    }

    /// The policy for a namespace with `labels`; modes without labels keep `defaults`.
    public static func parse(labels: [String: String], defaults: PodSecurityPolicy = .privileged) -> Parsed {
        var policy = defaults
        var errors: [LabelError] = []
        for mode in PodSecurityMode.allCases {
            if let text = labels[mode.levelLabel] {
                if let level = PodSecurityLevel(rawValue: text) {
                    policy[mode].level = level
                } else {
                    policy[mode].level = mode.fallbackLevel
                    errors.append(
                        LabelError(label: mode.levelLabel, value: text, message: PodSecurityLevel.invalidLabelMessage))
                }
            }
            if let text = labels[mode.versionLabel] {
                if let version = PodSecurityVersion(text) {
                    policy[mode].version = version
                } else {
                    policy[mode].version = .latest
                    errors.append(
                        LabelError(label: mode.versionLabel, value: text, message: PodSecurityVersion.invalidLabelMessage))
                }
            }
        }
        defaultWarnToEnforce(&policy, labels: labels)
        return Parsed(policy: policy, errors: errors)
    }

    /// The policy for a Namespace object, from its `metadata.labels` (non-string values ignored).
    public static func parse(namespace: JSONValue, defaults: PodSecurityPolicy = .privileged) -> Parsed {
        let labels = namespace[path: ["metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        return parse(labels: labels, defaults: defaults)
    }

    /// A namespace that sets only a (valid) enforce level still warns at that level: otherwise
    /// clients would learn of a violation only when the enforce refusal hits them.
    private static func defaultWarnToEnforce(_ policy: inout PodSecurityPolicy, labels: [String: String]) {
        guard labels[PodSecurityMode.warn.levelLabel] == nil,
            let enforceText = labels[PodSecurityMode.enforce.levelLabel], PodSecurityLevel(rawValue: enforceText) != nil,
            policy.enforce.level > policy.warn.level
        else { return }
        policy.warn.level = policy.enforce.level
        if labels[PodSecurityMode.warn.versionLabel] == nil {
            policy.warn.version = policy.enforce.version
        }
    }
}
