import Foundation
import Glibc
import PalisadeAPI
import PalisadeRuntime

/// The probes of one running container instance: each run when due (exec inside the
/// container, HTTP and TCP in the pod's network namespace), their results fed to a
/// ``ProbeTracker``, readiness and start reported to the worker, and a container that fails
/// its liveness or startup probe killed (its loop restarts it).
struct ContainerProbing {
    let worker: PodWorker
    let container: PodContainer
    let probes: ContainerProbes
    let instance: ContainerRunner.Instance
    let sandbox: PodSandbox

    func run() async {
        var tracker = ProbeTracker(probes: probes, containerStartedAt: instance.startedAt)
        let prober = NetworkProber { [sandbox] port in try await sandbox.connect(port: port, timeout: .seconds(1)) }
        while !Task.isCancelled, !tracker.needsRestart, let next = tracker.nextRun {
            if next > Date() { try? await Task.sleep(for: .seconds(next.timeIntervalSinceNow)) }
            guard !Task.isCancelled else { return }
            for kind in tracker.dueProbes(at: Date()) {
                guard let probe = tracker.probe(kind) else { continue }
                let result: ProbeResult
                if case .exec(let command) = probe.action {
                    result = await exec(command, timeout: .seconds(probe.timeoutSeconds))
                } else {
                    result = await prober.run(probe) ?? .failure("unsupported probe")
                }
                switch tracker.record(result, of: kind, at: Date()) {
                case .none: break
                case .statusChanged:
                    await worker.probed(container, ready: tracker.isReady, started: tracker.isStarted)
                case .restart(let message, let grace):
                    let podGrace = await worker.pod[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
                    let seconds = grace ?? podGrace
                    await worker.probed(container, ready: false, started: tracker.isStarted)
                    await worker.kill(container, grace: .seconds(seconds), message: message)
                    return
                }
            }
        }
    }

    /// Runs `command` inside the container (its namespaces, root and mounts, user, cgroup and
    /// seccomp filter): exit code 0 within `timeout` is success.
    private func exec(_ command: [String], timeout: Duration) async -> ProbeResult {
        var spec = instance.spec
        spec.arguments = command
        spec.enter = instance.process.pid
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        spec.standardStreams = (null, null, null)
        let started: ContainerLauncher.Started
        do {
            started = try ContainerLauncher.start(spec)
        } catch {
            return .failure("exec \(command.first ?? ""): \(error)")
        }
        if let listener = started.denialListener, let program = spec.seccomp {
            SeccompDenialMonitor.start(listener: listener, program: program) { _ in }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            kill(started.process.pid, SIGKILL)
        }
        let exit = await started.process.exit()
        timer.cancel()
        return exit == .exited(0) ? .success : .failure("command \(command.joined(separator: " ")) exited with \(exit.code)")
    }
}
