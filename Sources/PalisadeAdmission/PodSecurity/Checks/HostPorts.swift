import PalisadeAPI

/// A host port binds the node's network interface, bypassing network policy.
struct HostPortsCheck: PodSecurityCheck {
    let id = "hostPorts"
    let level = PodSecurityLevel.baseline
    let revisions = [0]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        var containers: [String] = []
        var ports: Set<String> = []
        for container in pod.containers {
            let used = (container.json.present("ports")?.arrayValue ?? []).compactMap { $0.present("hostPort")?.intValue }
                .filter { $0 != 0 }
            guard !used.isEmpty else { continue }
            containers.append(container.name)
            ports.formUnion(used.map { String($0) })
        }
        guard !containers.isEmpty else { return nil }
        // Kubernetes sorts the ports as strings, so 8080 comes before 9.
        return PodSecurityViolation(
            reason: "hostPort",
            detail: "\(Phrase.containers(containers)) \(Phrase.plural("uses", "use", containers.count)) "
                + "\(Phrase.plural("hostPort", "hostPorts", ports.count)) \(ports.uniqueSortedBytewise().joined(separator: ", "))"
        )
    }
}
