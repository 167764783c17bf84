import PalisadeAPI

/// Evaluates pods against a level at a policy version, as Kubernetes' check registry does.
///
/// - `privileged` allows everything; `baseline` runs the baseline checks; `restricted` runs
///   the restricted checks plus every baseline check that no applicable restricted check
///   overrides at that version.
/// - A check runs from its first revision on, with the newest revision not after the version.
/// - Versions newer than the newest revision of any check, and `latest`, mean that newest one.
/// - Results come baseline IDs first, then restricted IDs, each group sorted, so messages
///   list reasons in the same order as Kubernetes.
public struct PodSecurityEvaluator: Sendable {
    /// The evaluator with every Kubernetes check.
    public static let standard = PodSecurityEvaluator(checks: PodSecurityStandardChecks.all)

    /// The checks in result order.
    public let checks: [any PodSecurityCheck]

    /// The newest minor version at which any check changed: what `latest` means.
    public let newestMinor: Int

    /// The checks (with the revision in force) for baseline and restricted at every minor
    /// version up to ``newestMinor``, worked out once as Kubernetes' registry does: an
    /// evaluation then only runs checks.
    private let table: [PodSecurityLevel: [[(check: any PodSecurityCheck, revision: Int)]]]

    public init(checks: [any PodSecurityCheck]) {
        Self.validate(checks)
        let ordered = { (level: PodSecurityLevel) in
            checks.filter { $0.level == level }.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        }
        let checks = ordered(.baseline) + ordered(.restricted)
        let newestMinor = checks.compactMap(\.revisions.last).max() ?? 0
        self.checks = checks
        self.newestMinor = newestMinor
        var table: [PodSecurityLevel: [[(check: any PodSecurityCheck, revision: Int)]]] = [:]
        for level in [PodSecurityLevel.baseline, .restricted] {
            table[level] = (0...newestMinor).map { Self.applicable(checks, level: level, minor: $0) }
        }
        self.table = table
    }

    /// The minor version a policy version is evaluated at, after clamping.
    public func minor(for version: PodSecurityVersion) -> Int {
        switch version {
        case .latest: return newestMinor
        case .v1(let minor): return min(minor, newestMinor)
        }
    }

    /// The IDs of the checks that run for `policy`, in result order.
    public func checkIDs(for policy: PodSecurityLevelVersion) -> [String] {
        applicable(policy).map(\.check.id)
    }

    /// The violations of `pod` under `policy`, in result order; empty means allowed.
    public func evaluate(_ policy: PodSecurityLevelVersion, pod: PodSecurityPod) -> [PodSecurityCheckResult] {
        applicable(policy).compactMap { check, revision in
            check.evaluate(pod, revision: revision).map {
                PodSecurityCheckResult(id: check.id, reason: $0.reason, detail: $0.detail)
            }
        }
    }

    /// The violations of a Pod or of a workload's pod template under `policy`. An object
    /// that carries no pod template (another kind, or a workload without one) has none.
    /// The kind is read from the object; where the request's group and resource are known,
    /// extract with ``PodTemplateExtraction/pod(in:group:resource:)`` and use
    /// ``evaluate(_:pod:)``, so that a body missing `kind` cannot skip evaluation.
    public func evaluate(_ policy: PodSecurityLevelVersion, object: JSONValue) -> [PodSecurityCheckResult] {
        guard let pod = PodTemplateExtraction.pod(in: object) else { return [] }
        return evaluate(policy, pod: pod)
    }

    private func applicable(_ policy: PodSecurityLevelVersion) -> [(check: any PodSecurityCheck, revision: Int)] {
        table[policy.level]?[minor(for: policy.version)] ?? []
    }

    private static func applicable(
        _ checks: [any PodSecurityCheck], level: PodSecurityLevel, minor: Int
    ) -> [(check: any PodSecurityCheck, revision: Int)] {
        let present = checks.compactMap { check in
            check.level <= level ? check.revision(at: minor).map { (check: check, revision: $0) } : nil
        }
        let overridden = Set(present.filter { $0.check.level == .restricted }.flatMap(\.check.overrides))
        return present.filter { !($0.check.level == .baseline && overridden.contains($0.check.id)) }
    }

    /// The check list is fixed at build time, so a malformed one is a programming error.
    private static func validate(_ checks: [any PodSecurityCheck]) {
        let levels = Dictionary(checks.map { ($0.id, $0.level) }, uniquingKeysWith: { first, _ in first })
        precondition(levels.count == checks.count, "Pod Security check IDs must be unique")
        for check in checks {
            precondition(check.level != .privileged, "check \(check.id): level must be baseline or restricted")
            precondition(!check.revisions.isEmpty, "check \(check.id): no revisions")
            let increasing = zip(check.revisions, check.revisions.dropFirst()).allSatisfy { $0 < $1 }
            precondition(
                check.revisions.allSatisfy { $0 >= 0 } && increasing,
                "check \(check.id): revisions must be non-negative and strictly increasing")
            precondition(
                check.overrides.isEmpty || check.level == .restricted, "check \(check.id): only restricted checks override")
            for id in check.overrides {
                precondition(levels[id] != .restricted, "check \(check.id): overrides restricted check \(id)")
            }
        }
    }
}
