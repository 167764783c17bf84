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
            guard let declared = container.json.present("ports")?.arrayValue else { continue }
            var uses = false
            for port in declared {
                guard let hostPort = port.present("hostPort")?.intValue, hostPort != 0 else { continue }
                ports.insert(String(hostPort))
                uses = true
            }
            if uses { containers.append(container.name) }
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
