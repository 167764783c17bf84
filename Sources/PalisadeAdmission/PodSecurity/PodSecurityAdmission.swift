import PalisadeAPI

/// Kubernetes' PodSecurity admission decisions, without I/O: given the namespace's labels
/// and the object written, what is refused, what the client is warned about and what the
/// audit event records. The server reads the namespace and its pods; this decides.
public struct PodSecurityAdmission: Sendable {
    public let configuration: PodSecurityConfiguration
    public let evaluator: PodSecurityEvaluator

    public init(configuration: PodSecurityConfiguration = PodSecurityConfiguration(), evaluator: PodSecurityEvaluator = .standard) {
        self.configuration = configuration
        self.evaluator = evaluator
    }

    /// A pod or workload write: who writes what where.
    public struct Write: Sendable {
        public var group: String
        public var resource: String
        public var namespace: String
        public var namespaceLabels: [String: String]
        public var object: JSONValue
        /// The stored object an update replaces; nil on create.
        public var old: JSONValue?
        public var username: String

        public init(
            group: String, resource: String, namespace: String, namespaceLabels: [String: String],
            object: JSONValue, old: JSONValue?, username: String
        ) {
            self.group = group
            self.resource = resource
            self.namespace = namespace
            self.namespaceLabels = namespaceLabels
            self.object = object
            self.old = old
            self.username = username
        }

        var isPod: Bool { group == "" && resource == "pods" }
    }

    /// The outcome: a refusal, or an admission with warnings; annotations for the audit event either way.
    public struct Decision: Sendable, Equatable {
        /// `violates PodSecurity "...": ...` when enforce refuses the pod.
        public var denial: String?
        public var warnings: [String] = []
        public var auditAnnotations: [String: String] = [:]

        public init(denial: String? = nil, warnings: [String] = [], auditAnnotations: [String: String] = [:]) {
            self.denial = denial
            self.warnings = warnings
            self.auditAnnotations = auditAnnotations
        }
    }

    public static let annotationPrefix = "pod-security.kubernetes.io/"

    /// Judges a Pod (all three modes) or a workload's pod template (warn and audit only: its
    /// pods are judged when they are created). Other objects pass untouched.
    public func admit(_ write: Write) -> Decision {
        guard let pod = PodTemplateExtraction.pod(in: write.object, group: write.group, resource: write.resource) else {
            return Decision()
        }
        if let exemption = exemption(write, pod: pod) {
            return Decision(auditAnnotations: [Self.annotationPrefix + "exempt": exemption])
        }
        if write.isPod, let old = write.old, !Self.isSignificantPodUpdate(old: old, new: write.object) {
            return Decision()
        }
        let parsed = NamespacePolicy.parse(labels: write.namespaceLabels, defaults: configuration.defaults)
        let policy = parsed.policy
        var decision = Decision()
        if !parsed.errors.isEmpty {
            decision.auditAnnotations[Self.annotationPrefix + "error"] = parsed.errors.map(\.description).joined(separator: "; ")
        }
        // One evaluation per distinct level and version, shared by the modes that use it.
        var cache: [PodSecurityLevelVersion: [PodSecurityCheckResult]] = [:]
        func violations(_ policy: PodSecurityLevelVersion) -> [PodSecurityCheckResult] {
            if let known = cache[policy] { return known }
            let results = evaluator.evaluate(policy, pod: pod)
            cache[policy] = results
            return results
        }
        if write.isPod {
            decision.auditAnnotations[Self.annotationPrefix + "enforce-policy"] = policy.enforce.description
            let refused = violations(policy.enforce)
            if !refused.isEmpty {
                decision.denial = PodSecurityMessage.violates(policy.enforce, refused)
            }
        }
        if policy.audit.level != .privileged {
            let audited = violations(policy.audit)
            if !audited.isEmpty {
                decision.auditAnnotations[Self.annotationPrefix + "audit-violations"] = PodSecurityMessage.wouldViolate(policy.audit, audited)
            }
        }
        // A refused request carries its reasons already; warnings would repeat them.
        if decision.denial == nil, policy.warn.level != .privileged {
            let warned = violations(policy.warn)
            if !warned.isEmpty { decision.warnings.append(PodSecurityMessage.wouldViolate(policy.warn, warned)) }
        }
        return decision
    }

    /// Why a write is not evaluated at all: `namespace`, `user` or `runtimeClass`, as in
    /// Kubernetes' `pod-security.kubernetes.io/exempt` audit annotation.
    private func exemption(_ write: Write, pod: PodSecurityPod) -> String? {
        let exemptions = configuration.exemptions
        if exemptions.namespaces.contains(write.namespace) { return "namespace" }
        if exemptions.usernames.contains(write.username) { return "user" }
        if let runtimeClass = pod.spec.present("runtimeClassName")?.stringValue, exemptions.runtimeClasses.contains(runtimeClass) {
            return "runtimeClass"
        }
        return nil
    }

    /// Kubernetes re-judges a pod update only when it can change what runs: the number of
    /// (init) containers, an image, or the ephemeral containers. Label or annotation edits,
    /// and status writes, are let through so existing pods stay manageable after a
    /// namespace's policy tightens.
    public static func isSignificantPodUpdate(old: JSONValue, new: JSONValue) -> Bool {
        func images(_ pod: JSONValue, _ key: String) -> [String]? {
            pod[path: ["spec", key]]?.arrayValue?.map { $0.present("image")?.stringValue ?? "" }
        }
        for key in ["containers", "initContainers"] where images(old, key) != images(new, key) {
            return true
        }
        return old[path: ["spec", "ephemeralContainers"]] != new[path: ["spec", "ephemeralContainers"]]
    }

    // MARK: Namespaces

    /// The label errors that refuse a namespace write (422 in Kubernetes).
    public func labelErrors(_ labels: [String: String]) -> [NamespacePolicy.LabelError] {
        NamespacePolicy.parse(labels: labels, defaults: configuration.defaults).errors
    }

    /// True when a namespace update tightens what enforce means, so its existing pods must
    /// be checked against the new policy (they are warned about, never evicted).
    public func enforceChanged(namespace: String, old: [String: String], new: [String: String]) -> Bool {
        guard !configuration.exemptions.namespaces.contains(namespace) else { return false }
        let before = NamespacePolicy.parse(labels: old, defaults: configuration.defaults).policy.enforce
        let after = NamespacePolicy.parse(labels: new, defaults: configuration.defaults).policy.enforce
        return after != before && after.level != .privileged
    }

    /// The warnings for the existing `pods` of a namespace whose enforce policy became
    /// `labels`': one line naming the policy, then one per distinct set of reasons.
    public func existingPodWarnings(namespace: String, labels: [String: String], pods: [JSONValue]) -> [String] {
        let enforce = NamespacePolicy.parse(labels: labels, defaults: configuration.defaults).policy.enforce
        var groups: [(reasons: String, pods: [String])] = []
        for object in pods {
            guard let pod = PodTemplateExtraction.pod(in: object, group: "", resource: "pods") else { continue }
            if let runtimeClass = pod.spec.present("runtimeClassName")?.stringValue,
                configuration.exemptions.runtimeClasses.contains(runtimeClass)
            {
                continue
            }
            let results = evaluator.evaluate(enforce, pod: pod)
            guard !results.isEmpty else { continue }
            let reasons = PodSecurityMessage.reasons(results)
            let name = object.present("metadata", "name")?.stringValue ?? ""
            if let index = groups.firstIndex(where: { $0.reasons == reasons }) {
                groups[index].pods.append(name)
            } else {
                groups.append((reasons, [name]))
            }
        }
        guard !groups.isEmpty else { return [] }
        let heading = "existing pods in namespace \(Phrase.goQuoted(namespace)) violate the new PodSecurity enforce level \(Phrase.goQuoted(enforce.description))"
        return [heading] + groups.map { group in
            let others = group.pods.count - 1
            let names = others == 0 ? group.pods[0] : "\(group.pods[0]) (and \(others) other pod\(others == 1 ? "" : "s"))"
            return "\(names): \(group.reasons)"
        }
    }

    /// A namespace that is exempt but labelled anyway: its labels will not be applied.
    public func exemptNamespaceWarning(namespace: String, labels: [String: String]) -> String? {
        guard configuration.exemptions.namespaces.contains(namespace),
            labels.keys.contains(where: { $0.hasPrefix(Self.annotationPrefix) })
        else { return nil }
        return "namespace \(Phrase.goQuoted(namespace)) is exempt from Pod Security, and the policy in its labels is ignored"
    }
}
