import PalisadeAPI

/// Baseline: containers may add only capabilities from the runtime's default set.
struct CapabilitiesBaselineCheck: PodSecurityCheck {
    let id = "capabilities_baseline"
    let level = PodSecurityLevel.baseline
    let revisions = [0]

    static let allowed: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
        "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        let adding = CapabilityAdditions(pod, allowed: Self.allowed)
        guard let clause = adding.clause else { return nil }
        return PodSecurityViolation(reason: "non-default capabilities", detail: clause)
    }
}

/// Restricted: containers drop ALL and add back at most NET_BIND_SERVICE.
struct CapabilitiesRestrictedCheck: PodSecurityCheck {
    let id = "capabilities_restricted"
    let level = PodSecurityLevel.restricted
    let revisions = [22, 25]
    let overrides = ["capabilities_baseline"]
    static let allowedToAdd: Set<String> = ["NET_BIND_SERVICE"]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        if revision >= 25 && pod.isWindows { return nil }
        let missingDropAll = pod.containerNames { !$0.capabilities("drop").contains("ALL") }
        var clauses: [String] = []
        if !missingDropAll.isEmpty {
            clauses.append(#"\#(Phrase.containers(missingDropAll)) must set securityContext.capabilities.drop=["ALL"]"#)
        }
        if let adding = CapabilityAdditions(pod, allowed: Self.allowedToAdd).clause {
            clauses.append(adding)
        }
        guard !clauses.isEmpty else { return nil }
        return PodSecurityViolation(reason: "unrestricted capabilities", detail: clauses.joined(separator: "; "))
    }
}

/// The containers that add capabilities outside an allowed set, and those capabilities.
private struct CapabilityAdditions {
    var containers: [String] = []
    var capabilities: Set<String> = []

    init(_ pod: PodSecurityPod, allowed: Set<String>) {
        for container in pod.containers {
            let extra = container.capabilities("add").filter { !allowed.contains($0) }
            guard !extra.isEmpty else { continue }
            containers.append(container.name)
            capabilities.formUnion(extra)
        }
    }

    /// `containers "a" must not include "NET_RAW" in securityContext.capabilities.add`, or nil.
    var clause: String? {
        guard !containers.isEmpty else { return nil }
        return "\(Phrase.containers(containers)) must not include \(Phrase.quoted(capabilities.uniqueSortedBytewise())) "
            + "in securityContext.capabilities.add"
    }
}
