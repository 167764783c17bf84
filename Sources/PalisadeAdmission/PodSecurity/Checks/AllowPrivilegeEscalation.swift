import PalisadeAPI

/// Every container must turn off privilege escalation (setuid binaries, file capabilities)
/// explicitly, since the runtime default allows it. Windows has no such mechanism, so from
/// v1.25 Windows pods are exempt.
struct AllowPrivilegeEscalationCheck: PodSecurityCheck {
    let id = "allowPrivilegeEscalation"
    let level = PodSecurityLevel.restricted
    // The field appeared in Kubernetes 1.8.
    let revisions = [8, 25]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        if revision >= 25 && pod.isWindows { return nil }
        let bad = pod.containerNames { $0.securityContext?.present("allowPrivilegeEscalation")?.boolValue != false }
        guard !bad.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "allowPrivilegeEscalation != false",
            detail: "\(Phrase.containers(bad)) must set securityContext.allowPrivilegeEscalation=false"
        )
    }
}
