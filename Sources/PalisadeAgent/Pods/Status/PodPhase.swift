/// The pod phase from its containers' states, as the kubelet's `getPhase` decides it.
enum PodPhase {
    /// - Parameters:
    ///   - restartPolicy: `Always` (the default), `OnFailure` or `Never`.
    ///   - isTerminal: no container will run again (the pod is being stopped for good).
    static func of(
        initContainers: [ContainerRuntimeState], containers: [ContainerRuntimeState], restartPolicy: String, isTerminal: Bool
    ) -> String {
        var pendingInitialization = 0
        var failedInitialization = 0
        for container in initContainers {
            switch container.state {
            case .running: pendingInitialization += 1
            case .terminated(let end): if end.exitCode != 0 { failedInitialization += 1 }
            case .waiting:
                if let last = container.lastTermination {
                    if last.exitCode != 0 { failedInitialization += 1 }
                } else {
                    pendingInitialization += 1
                }
            }
        }

        var running = 0
        var waiting = 0
        var stopped = 0
        var succeeded = 0
        for container in containers {
            switch container.state {
            case .running: running += 1
            case .terminated(let end):
                stopped += 1
                if end.exitCode == 0 { succeeded += 1 }
            case .waiting:
                // Waiting to restart after a run counts as stopped, so a crash-looping pod stays Running.
                if container.lastTermination != nil { stopped += 1 } else { waiting += 1 }
            }
        }

        if failedInitialization > 0 && restartPolicy == "Never" { return "Failed" }
        let anyAppContainerStarted = containers.contains {
            if case .waiting = $0.state { return $0.lastTermination != nil }
            return true
        }
        if (pendingInitialization > 0 && !anyAppContainerStarted) || waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        guard stopped > 0, !containers.isEmpty else { return "Pending" }
        if isTerminal { return stopped == succeeded ? "Succeeded" : "Failed" }
        if restartPolicy == "Always" { return "Running" }
        if stopped == succeeded { return "Succeeded" }
        return restartPolicy == "Never" ? "Failed" : "Running"
    }
}
