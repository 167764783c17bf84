import PalisadeAPI

/// Only sysctls that are namespaced to the pod and isolated from other pods may be set.
/// Kubernetes has widened the safe set several times; each widening is a new revision so
/// that a namespace pinned to an older version keeps the older set.
struct SysctlsCheck: PodSecurityCheck {
    let id = "sysctls"
    let level = PodSecurityLevel.baseline

    /// The sysctls each revision adds to the safe set.
    static let additions: [(minor: Int, names: [String])] = [
        (0, [
            "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start",
        ]),
        (27, ["net.ipv4.ip_local_reserved_ports"]),
        (29, [
            "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
        ]),
        (32, ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]),
        (37, ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"]),
    ]

    var revisions: [Int] { Self.additions.map(\.minor) }

    /// The safe set in force from `revision` on.
    static func allowed(revision: Int) -> Set<String> {
        allowedByRevision[revision] ?? Set(additions.filter { $0.minor <= revision }.flatMap(\.names))
    }

    /// The safe sets of every revision, built once (evaluation runs on every pod write).
    private static let allowedByRevision = Dictionary(uniqueKeysWithValues: additions.map { addition in
        (addition.minor, Set(additions.filter { $0.minor <= addition.minor }.flatMap(\.names)))
    })

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        guard let sysctls = pod.securityContext?.present("sysctls")?.arrayValue, !sysctls.isEmpty else { return nil }
        let allowed = Self.allowed(revision: revision)
        let forbidden = sysctls
            .map { $0.present("name")?.stringValue ?? "" }
            .filter { !allowed.contains($0) }
        guard !forbidden.isEmpty else { return nil }
        return PodSecurityViolation(reason: "forbidden sysctls", detail: forbidden.joined(separator: ", "))
    }
}
