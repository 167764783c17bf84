import PalisadeAPI

/// Containers must be required to run as a non-root user, by the pod or by each container,
/// and nothing may opt back out. From v1.35 a pod in its own user namespace is exempt: its
/// root is not the node's root.
struct RunAsNonRootCheck: PodSecurityCheck {
    let id = "runAsNonRoot"
    let level = PodSecurityLevel.restricted
    let revisions = [0, 35]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        if revision >= 35 && pod.usesUserNamespace { return nil }
        let podSetting = pod.securityContext?.present("runAsNonRoot")?.boolValue
        var explicitlyBad: [String] = []
        var implicitlyBad: [String] = []
        for container in pod.containers {
            switch container.securityContext?.present("runAsNonRoot")?.boolValue {
            case false?: explicitlyBad.append(container.name)
            case true?: break
            case nil: if podSetting != true { implicitlyBad.append(container.name) }
            }
        }
        if let setters = Phrase.setters(pod: podSetting == false, containers: explicitlyBad) {
            return PodSecurityViolation(
                reason: "runAsNonRoot != true", detail: "\(setters) must not set securityContext.runAsNonRoot=false")
        }
        guard !implicitlyBad.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "runAsNonRoot != true",
            detail: "pod or \(Phrase.containers(implicitlyBad)) must set securityContext.runAsNonRoot=true")
    }
}
