import PalisadeAPI

/// Sharing the node's network, PID or IPC namespace defeats container isolation.
struct HostNamespacesCheck: PodSecurityCheck {
    let id = "hostNamespaces"
    let level = PodSecurityLevel.baseline
    let revisions = [0]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        let shared = ["hostNetwork", "hostPID", "hostIPC"].filter { pod.spec.present($0)?.boolValue == true }
        guard !shared.isEmpty else { return nil }
        return PodSecurityViolation(reason: "host namespaces", detail: shared.map { "\($0)=true" }.joined(separator: ", "))
    }
}
