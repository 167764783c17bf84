import PalisadeAPI

/// Baseline: containers keep the default masks on /proc. From v1.35 a pod in its own user
/// namespace may unmask it, since what it would reveal is no longer the node's.
struct ProcMountBaselineCheck: PodSecurityCheck {
    let id = "procMount"
    let level = PodSecurityLevel.baseline
    let revisions = [0, 35]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        if revision >= 35 && pod.usesUserNamespace { return nil }
        return unmaskedProcMount(in: pod)
    }
}

/// Restricted: the v1.0 rule with no user-namespace relaxation. It replaces the baseline
/// check from v1.35, where that one starts to relax.
struct ProcMountRestrictedCheck: PodSecurityCheck {
    let id = "procMount_restricted"
    let level = PodSecurityLevel.restricted
    let revisions = [35]
    let overrides = ["procMount"]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        unmaskedProcMount(in: pod)
    }
}

/// Containers whose `procMount` is set to anything but `Default`.
private func unmaskedProcMount(in pod: PodSecurityPod) -> PodSecurityViolation? {
    var types: Set<String> = []
    let containers = pod.containerNames { container in
        guard let type = container.securityContext?.present("procMount")?.stringValue, type != "Default" else { return false }
        types.insert(type)
        return true
    }
    guard !containers.isEmpty else { return nil }
    return PodSecurityViolation(
        reason: "procMount",
        detail: "\(Phrase.containers(containers)) must not set securityContext.procMount to "
            + Phrase.quoted(types.uniqueSortedBytewise())
    )
}
