import PalisadeAPI

/// A privileged container has every device and capability of the node.
struct PrivilegedCheck: PodSecurityCheck {
    let id = "privileged"
    let level = PodSecurityLevel.baseline
    let revisions = [0]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        let bad = pod.containerNames { $0.securityContext?.present("privileged")?.boolValue == true }
        guard !bad.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "privileged", detail: "\(Phrase.containers(bad)) must not set securityContext.privileged=true")
    }
}
