import PalisadeAPI

/// Pod Security judged offline, for CI pipelines: the evaluator the server enforces with,
/// applied to manifest files. Pods and the pod templates of workloads are judged alike (a
/// pipeline wants to hear about a bad Deployment before any of its pods exists).
public struct ManifestCheck: Sendable {
    /// One object that carries a pod, and what the policy finds wrong with it.
    public struct Finding: Sendable {
        public let line: Int
        public let kind: String
        public let name: String
        public let violations: [PodSecurityCheckResult]
    }

    public let policy: PodSecurityLevelVersion
    public let evaluator: PodSecurityEvaluator

    public init(policy: PodSecurityLevelVersion, evaluator: PodSecurityEvaluator = .standard) {
        self.policy = policy
        self.evaluator = evaluator
    }

    /// Every object of `text` that carries a pod, with its violations (empty when it passes).
    public func check(_ text: String) throws(YAMLFieldError) -> [Finding] {
        try ManifestDocuments.objects(in: text).compactMap { entry in
            guard let pod = PodTemplateExtraction.pod(in: entry.object) else { return nil }
            return Finding(
                line: entry.line, kind: entry.object.kind ?? "", name: entry.object.name ?? entry.object.generateName ?? "",
                violations: evaluator.evaluate(policy, pod: pod)
            )
        }
    }
}
