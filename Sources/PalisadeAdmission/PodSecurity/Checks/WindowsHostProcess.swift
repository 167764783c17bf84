import PalisadeAPI

/// A Windows HostProcess container runs directly on the node, with the node's privileges.
struct WindowsHostProcessCheck: PodSecurityCheck {
    let id = "windowsHostProcess"
    let level = PodSecurityLevel.baseline
    let revisions = [0]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        let setsHostProcess = { (securityContext: JSONValue?) in
            securityContext?.present("windowsOptions", "hostProcess")?.boolValue == true
        }
        let podSetsHostProcess = setsHostProcess(pod.securityContext)
        let containers = pod.containerNames { setsHostProcess($0.securityContext) }
        guard let setters = Phrase.setters(pod: podSetsHostProcess, containers: containers) else { return nil }
        return PodSecurityViolation(
            reason: "hostProcess",
            detail: "\(setters) must not set securityContext.windowsOptions.hostProcess=true"
        )
    }
}
