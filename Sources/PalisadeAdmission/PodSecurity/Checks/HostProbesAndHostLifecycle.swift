import PalisadeAPI

/// A probe or lifecycle handler with a `host` makes the kubelet connect to an address of the
/// pod's choosing, which can reach services on the node's network.
struct HostProbesAndHostLifecycleCheck: PodSecurityCheck {
    let id = "hostProbesAndHostLifecycle"
    let level = PodSecurityLevel.baseline
    let revisions = [34]


    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        var containers: Set<String> = []
        var hosts: Set<String> = []
        for container in pod.containers {
            let found = Self.hosts(in: container.json)
            guard !found.isEmpty else { continue }
            containers.insert(container.name)
            hosts.formUnion(found)
        }
        guard !containers.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "probe or lifecycle host",
            detail: "\(Phrase.containers(containers.uniqueSortedBytewise())) \(Phrase.plural("uses", "use", containers.count)) "
                + "\(Phrase.plural("probe or lifecycle host", "probe or lifecycle hosts", hosts.count)) "
                + Phrase.quoted(hosts.uniqueSortedBytewise())
        )
    }

    /// The non-empty `httpGet.host` and `tcpSocket.host` values of a container's probes and
    /// lifecycle hooks.
    /// (Plain loops over static lists: this runs for every container of every pod write.)
    private static func hosts(in container: JSONValue) -> [String] {
        var hosts: [String] = []
        func collect(_ handler: JSONValue?) {
            guard let handler else { return }
            for action in actions {
                if let host = handler.present(action, "host")?.stringValue, !host.isEmpty { hosts.append(host) }
            }
        }
        for probe in probes { collect(container.present(probe)) }
        if let lifecycle = container.present("lifecycle") {
            for hook in hooks { collect(lifecycle.present(hook)) }
        }
        return hosts
    }

    private static let probes = ["livenessProbe", "readinessProbe", "startupProbe"]
    private static let hooks = ["postStart", "preStop"]
    private static let actions = ["httpGet", "tcpSocket"]
}
