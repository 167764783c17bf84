import PalisadeAPI

/// Baseline: seccomp may be the runtime default or a node-local profile, never unconfined.
/// Before v1.19 seccomp was set through annotations, so the v1.0 rule reads those and the
/// v1.19 rule reads the fields.
struct SeccompProfileBaselineCheck: PodSecurityCheck {
    let id = "seccompProfile_baseline"
    let level = PodSecurityLevel.baseline
    let revisions = [0, 19]

    static let podAnnotation = "seccomp.security.alpha.kubernetes.io/pod"
    static let containerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/"

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        revision >= 19 ? SeccompFields(pod).explicitViolation : Self.annotationViolation(pod)
    }

    private static func annotationViolation(_ pod: PodSecurityPod) -> PodSecurityViolation? {
        let annotations = pod.annotations
        let keys = [podAnnotation] + pod.containers.map { containerAnnotationPrefix + $0.name }
        let forbidden = keys.compactMap { key -> String? in
            guard let value = annotations[key], !allowedAnnotation(value) else { return nil }
            return "\(key)=\(Phrase.goQuoted(value))"
        }.uniqueSortedBytewise()
        guard !forbidden.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "seccompProfile",
            detail: "forbidden \(Phrase.plural("annotation", "annotations", forbidden.count)) "
                + forbidden.joined(separator: ", ")
        )
    }

    private static func allowedAnnotation(_ value: String) -> Bool {
        value == "runtime/default" || value == "docker/default" || value.hasPrefix("localhost/")
    }
}

/// Restricted: every container must end up with the runtime default or a node-local
/// profile, set on the pod or on the container. Windows pods have no seccomp and are exempt
/// from v1.25.
struct SeccompProfileRestrictedCheck: PodSecurityCheck {
    let id = "seccompProfile_restricted"
    let level = PodSecurityLevel.restricted
    let revisions = [19, 25]
    let overrides = ["seccompProfile_baseline"]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        if revision >= 25 && pod.isWindows { return nil }
        let fields = SeccompFields(pod)
        if let explicit = fields.explicitViolation { return explicit }
        guard !fields.podSetValidType, !fields.unsetContainers.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "seccompProfile",
            detail: "pod or \(Phrase.containers(fields.unsetContainers)) must set securityContext.seccompProfile.type to "
                + #""RuntimeDefault" or "Localhost""#
        )
    }
}

/// What the pod and its containers set in `securityContext.seccompProfile.type`.
private struct SeccompFields {
    static let allowedTypes: Set<String> = ["RuntimeDefault", "Localhost"]

    var podSetBadType = false
    var podSetValidType = false
    var badContainers: [String] = []
    var unsetContainers: [String] = []
    var badTypes: Set<String> = []

    init(_ pod: PodSecurityPod) {
        if let type = Self.type(in: pod.securityContext) {
            if Self.allowedTypes.contains(type) {
                podSetValidType = true
            } else {
                podSetBadType = true
                badTypes.insert(type)
            }
        }
        for container in pod.containers {
            guard let type = Self.type(in: container.securityContext) else {
                unsetContainers.append(container.name)
                continue
            }
            if !Self.allowedTypes.contains(type) {
                badContainers.append(container.name)
                badTypes.insert(type)
            }
        }
    }

    /// The type a security context sets: `""` when the profile is present without one, nil when absent.
    private static func type(in securityContext: JSONValue?) -> String? {
        securityContext?.present("seccompProfile").map { $0.present("type")?.stringValue ?? "" }
    }

    /// The pod or containers that explicitly chose a forbidden type (such as `Unconfined`).
    var explicitViolation: PodSecurityViolation? {
        guard let setters = Phrase.setters(pod: podSetBadType, containers: badContainers) else { return nil }
        return PodSecurityViolation(
            reason: "seccompProfile",
            detail: "\(setters) must not set securityContext.seccompProfile.type to "
                + Phrase.quoted(badTypes.uniqueSortedBytewise())
        )
    }
}
