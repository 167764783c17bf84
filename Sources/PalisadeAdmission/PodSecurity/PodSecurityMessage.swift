import PalisadeAPI

/// The texts Kubernetes' PodSecurity admission builds from check results.
public enum PodSecurityMessage {
    /// `reason (detail), reason (detail)`, in result order (`AggregateCheckResult.ForbiddenDetail`).
    public static func details(_ results: [PodSecurityCheckResult]) -> String {
        results.map(\.description).joined(separator: ", ")
    }

    /// `reason, reason`: the short form used when many pods are summarised at once.
    public static func reasons(_ results: [PodSecurityCheckResult]) -> String {
        results.map(\.reason).joined(separator: ", ")
    }

    /// The enforce refusal: `violates PodSecurity "restricted:latest": ...`. The policy is
    /// quoted as the namespace declared it, not the version it was clamped to.
    public static func violates(_ policy: PodSecurityLevelVersion, _ results: [PodSecurityCheckResult]) -> String {
        statement("violates", policy, results)
    }

    /// The warn and audit text: `would violate PodSecurity "restricted:latest": ...`.
    public static func wouldViolate(_ policy: PodSecurityLevelVersion, _ results: [PodSecurityCheckResult]) -> String {
        statement("would violate", policy, results)
    }

    private static func statement(
        _ verb: String, _ policy: PodSecurityLevelVersion, _ results: [PodSecurityCheckResult]
    ) -> String {
        "\(verb) PodSecurity \(Phrase.goQuoted(policy.description)): \(details(results))"
    }
}
