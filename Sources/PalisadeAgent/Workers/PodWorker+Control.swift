import Foundation
import Glibc
import Logging
import PalisadeRuntime

/// What is done to a running pod from outside its loops: probe verdicts, kills, log files,
/// stopping and cleaning up.
extension PodWorker {
    // MARK: Probes and kills

    /// A probe's verdict on a running container.
    func probed(_ container: PodContainer, ready: Bool, started: Bool) async {
        guard instances[container.name] != nil else { return }
        let before = states[container.name]
        update(container) { state in
            state.ready = ready
            state.started = started
        }
        if states[container.name] != before { await report() }
    }

    /// Stops a container (a failed liveness or startup probe): SIGTERM, then SIGKILL after
    /// its grace period. Its loop then restarts it as the policy says.
    func kill(_ container: PodContainer, grace: Duration, message: String) async {
        guard let instance = instances[container.name] else { return }
        logger.info("killing container", metadata: ["container": "\(container.name)", "reason": "\(message)"])
        Glibc.kill(instance.process.pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while instances[container.name]?.process.pid == instance.process.pid, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if instances[container.name]?.process.pid == instance.process.pid { Self.killNow(instance) }
    }

    // MARK: Logs

    /// A container's log files: the newest instance's, the one before (for `--previous`),
    /// and whether the newest still runs. Nil for a container the pod does not have.
    func logFiles(_ name: String) -> (current: String?, previous: String?, running: Bool)? {
        guard PodContainer.named(name, in: pod) != nil else { return nil }
        let directory = "\(directory)/logs/\(name)"
        let restarts = states[name]?.restartCount ?? 0
        let existing = (0...restarts).reversed().map { "\(directory)/\($0).log" }.filter { FileManager.default.fileExists(atPath: $0) }
        return (existing.first, existing.dropFirst().first, instances[name] != nil)
    }

    // MARK: Stopping

    /// Stops every container: SIGTERM, `grace`, then SIGKILL until none runs (one started
    /// meanwhile included). The caller then awaits ``run()`` before ``cleanUp()``.
    func stop(grace: Duration) async {
        guard !stopping else { return }
        stopping = true
        for instance in instances.values { Glibc.kill(instance.process.pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while !instances.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        while !instances.isEmpty {
            for instance in instances.values { Self.killNow(instance) }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// SIGKILL to everything in the instance's cgroup (or, without cgroups, to its process).
    static func killNow(_ instance: ContainerRunner.Instance) {
        if let cgroup = instance.cgroup {
            cgroup.signalAll(SIGKILL)
        } else {
            Glibc.kill(instance.process.pid, SIGKILL)
        }
    }

    /// After the last container: the sandbox goes and the final status is reported. The logs
    /// stay until the pod is deleted.
    func finish() async {
        for task in probeTasks.values { task.cancel() }
        await stopSandbox()
        try? FileManager.default.removeItem(atPath: "\(directory)/containers")
        await report()
    }

    /// Removes everything the pod had on the node (for a deleted pod, once it has ended).
    func cleanUp() async {
        await stopSandbox()
        do {
            try PodVolumes.tearDown(podDirectory: directory)
        } catch {
            logger.error("pod directory not removed", metadata: ["error": "\(error)"])
        }
        services.userNamespaces.release(uid)
        if let layout = services.runner.cgroups {
            let tree = CgroupTree("\(services.cgroupRoot)/\(uid)", layout: layout)
            tree.killAll()
            tree.remove()
        }
        services.forgetBackoffs(of: uid, containers: PodContainer.all(of: pod).map(\.name))
    }

    /// Stops the sandbox once, whoever asks (it is let go before the wait).
    private func stopSandbox() async {
        let sandbox = self.sandbox
        self.sandbox = nil
        await sandbox?.stop()
    }
}
