import PalisadeAPI

/// Nothing may ask to run as UID 0 explicitly. From v1.35 a pod in its own user namespace
/// is exempt: UID 0 there maps to an unprivileged UID on the node.
struct RunAsUserCheck: PodSecurityCheck {
    let id = "runAsUser"
    let level = PodSecurityLevel.restricted
    let revisions = [23, 35]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        if revision >= 35 && pod.usesUserNamespace { return nil }
        let isRoot = { (securityContext: JSONValue?) in securityContext?.present("runAsUser")?.intValue == 0 }
        let podIsRoot = isRoot(pod.securityContext)
        guard let setters = Phrase.setters(pod: podIsRoot, containers: pod.containerNames { isRoot($0.securityContext) }) else {
            return nil
        }
        return PodSecurityViolation(reason: "runAsUser=0", detail: "\(setters) must not set runAsUser=0")
    }
}
