import Foundation
import Glibc
import Logging
import PalisadeAPI
import PalisadeControllers
import PalisadeRuntime

/// Runs one pod bound to this node, as the kubelet's pod worker does: the sandbox and the
/// volumes first, the init containers one after another, then every container in a loop of
/// its own (started, waited for, restarted as `restartPolicy` says with back-off), probes
/// beside them, and the status reported after each change. ``stop(grace:)`` ends it
/// gracefully (SIGTERM, the grace period, SIGKILL); ``cleanUp()`` removes what it left.
actor PodWorker {
    let services: AgentServices
    let uid: String
    private(set) var pod: JSONValue
    private var states: [String: ContainerRuntimeState] = [:]
    private var instances: [String: ContainerRunner.Instance] = [:]
    private var sandbox: PodSandbox?
    private var volumes: PreparedVolumes?
    private var userNamespace: (hostBase: UInt32, size: UInt32)?
    private var startTime: Date?
    private var stopping = false
    private var lastReported: JSONValue?
    private var containerTasks: [Task<Void, Never>] = []
    private var probeTasks: [String: Task<Void, Never>] = [:]
    private let logger: Logger

    init(pod: JSONValue, services: AgentServices) {
        self.pod = pod
        self.services = services
        uid = pod.uid ?? ""
        var logger = services.logger
        logger[metadataKey: "pod"] = "\(pod.namespace ?? "")/\(pod.name ?? "")"
        self.logger = logger
    }

    var directory: String { "\(services.podsDirectory)/\(uid)" }
    private var podPath: String { "/api/v1/namespaces/\(pod.namespace ?? "")/pods/\(pod.name ?? "")" }
    private var restartPolicy: String { pod[path: ["spec", "restartPolicy"]]?.stringValue ?? "Always" }

    /// A newer copy of the pod from the API (its spec is fixed; deletion is what changes).
    func update(_ newer: JSONValue) {
        pod = newer
    }

    // MARK: Running

    /// Sets the pod up and runs its containers until they are all done for good or the pod
    /// is stopped.
    func run() async {
        startTime = Date()
        await report()
        // Volumes may wait for a ConfigMap or Secret still to come: the set-up is retried.
        while true {
            do {
                try await prepare()
                break
            } catch {
                logger.warning("pod not set up yet", metadata: ["error": "\(error)"])
                let reason = (error as? PodConfigError)?.reason ?? "ContainerCreating"
                for container in PodContainer.all(of: pod) {
                    update(container) { $0.state = .waiting(reason: reason, message: "\(error)") }
                }
                await report()
                await pause(for: .seconds(10))
                if stopping { return await finish() }
            }
        }
        for container in PodContainer.initContainers(of: pod) {
            let succeeded = await runInit(container)
            if !succeeded || stopping { return await finish() }
        }
        for container in PodContainer.appContainers(of: pod) {
            containerTasks.append(Task { await self.keepRunning(container) })
        }
        for task in containerTasks { await task.value }
        await finish()
    }

    private func prepare() async throws {
        try FileManager.default.createDirectory(atPath: "\(directory)/logs", withIntermediateDirectories: true)
        if pod[path: ["spec", "hostUsers"]]?.boolValue == false {
            userNamespace = try services.userNamespaces.reserve(uid)
        }
        if sandbox == nil {
            let cgroup = try services.runner.cgroups.map { try Cgroup.create("\(services.cgroupRoot)/\(uid)/sandbox", limits: CgroupLimits(), layout: $0) }
            let hostname = pod[path: ["spec", "hostname"]]?.stringValue ?? pod.name ?? "pod"
            sandbox = try PodSandbox(hostname: String(hostname.prefix(63)), cgroup: cgroup)
        }
        volumes = try await services.volumes(pod, directory: directory)
    }

    /// Runs an init container to success, again after a failure unless the policy is Never.
    /// False when the pod cannot go on.
    private func runInit(_ container: PodContainer) async -> Bool {
        while !stopping {
            let exit = await runOnce(container)
            if exit == 0 { return true }
            if restartPolicy == "Never" { return false }
            await backOff(container)
        }
        return false
    }

    /// Runs a container, again and again as the restart policy says.
    private func keepRunning(_ container: PodContainer) async {
        while !stopping {
            let exit = await runOnce(container)
            // A container that never started (bad image or settings) is tried again as a failure.
            guard !stopping, RestartBackoff.shouldRestart(restartPolicy: restartPolicy, exitCode: exit ?? 1) else { return }
            await backOff(container)
        }
    }

    /// One start of a container, waited to its end: its exit code, or nil when it never ran.
    private func runOnce(_ container: PodContainer) async -> Int32? {
        guard let sandbox else { return nil }
        let name = container.name
        let restarts = states[name]?.restartCount ?? 0
        let logDirectory = "\(directory)/logs/\(name)"
        let instance: ContainerRunner.Instance
        do {
            try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
            let request = ContainerRunner.Request(
                pod: pod, container: container.spec, directory: "\(directory)/containers/\(name)",
                environment: { [pod, services] image in try await services.environment(pod, container, image) },
                mounts: try volumes?.mounts(for: container) ?? [], sandbox: sandbox,
                logPath: "\(logDirectory)/\(restarts).log", userNamespace: userNamespace,
                cgroupName: "\(services.cgroupRoot)/\(uid)/\(name)"
            )
            instance = try await services.runner.start(request)
        } catch {
            let failure = error as? ContainerRunner.Failure ?? .configuration("\(error)")
            return await record(failure, for: container)
        }
        instances[name] = instance
        let id = "\(uid)/\(name)/\(restarts)"
        let probes = try? ContainerProbes(container: container)
        update(container) { state in
            state.state = .running(startedAt: instance.startedAt)
            state.imageID = instance.imageID
            state.id = id
            state.started = probes?.startup == nil
            state.ready = container.kind == .app && probes?.startup == nil && probes?.readiness == nil
        }
        if container.kind == .app, let probes, probes != ContainerProbes() {
            probeTasks[name] = Task { await ContainerProbing(worker: self, container: container, probes: probes, instance: instance, sandbox: sandbox).run() }
        }
        await report()

        let exit = await instance.process.exit()
        probeTasks.removeValue(forKey: name)?.cancel()
        instances[name] = nil
        let oomKilled = (instance.cgroup?.oomKills() ?? 0) > 0
        instance.cgroup?.signalAll(SIGKILL)
        instance.cgroup?.remove()
        var signal: Int32?
        if case .signaled(let number) = exit { signal = number }
        let termination = ContainerRuntimeState.Termination(
            exitCode: exit.code, signal: signal, reason: oomKilled ? "OOMKilled" : exit.code == 0 ? "Completed" : "Error",
            startedAt: instance.startedAt, finishedAt: Date(), containerID: id
        )
        update(container) { state in
            state.state = .terminated(termination)
            state.ready = false
            state.started = false
        }
        logger.info("container exited", metadata: ["container": "\(name)", "exitCode": "\(exit.code)", "reason": "\(termination.reason ?? "")"])
        await report()
        return exit.code
    }

    /// Records why a container did not start; returns the exit code reported for it, if any.
    private func record(_ failure: ContainerRunner.Failure, for container: PodContainer) async -> Int32? {
        var code: Int32?
        update(container) { state in
            switch failure {
            case .image(let message): state.state = .waiting(reason: "ErrImageNeverPull", message: message)
            case .configuration(let message): state.state = .waiting(reason: "CreateContainerConfigError", message: message)
            case .start(let message):
                state.state = .terminated(.init(exitCode: 128, reason: "StartError", message: message, finishedAt: Date()))
                code = 128
            }
        }
        logger.warning("container did not start", metadata: ["container": "\(container.name)", "error": "\(failure)"])
        await report()
        return code
    }

    /// Waits out the back-off before the next start, showing `CrashLoopBackOff` meanwhile
    /// (a container that never started keeps its reason: the image or setting to fix).
    private func backOff(_ container: PodContainer) async {
        let name = container.name
        let ended = states[name]?.state
        var startedAt: Date?
        if case .terminated(let end) = ended { startedAt = end.startedAt }
        let delay = services.backoff(after: "\(uid)/\(name)", startedAt: startedAt, finishedAt: Date())
        update(container) { state in
            if case .terminated(let end) = state.state {
                state.lastTermination = end
                state.state = .waiting(
                    reason: "CrashLoopBackOff",
                    message: "back-off \(Int(delay.components.seconds))s restarting failed container=\(name) pod=\(self.pod.name ?? "")"
                )
            }
            state.restartCount += 1
        }
        await report()
        await pause(for: delay)
    }

    /// Sleeps for `delay`, or less when the pod is stopped meanwhile.
    private func pause(for delay: Duration) async {
        let deadline = ContinuousClock.now + delay
        while !stopping, ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(200), deadline - ContinuousClock.now))
        }
    }

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
        if instances[container.name]?.process.pid == instance.process.pid { instance.cgroup?.signalAll(SIGKILL) }
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

    /// Stops every container (SIGTERM, `grace`, then SIGKILL) and waits for the pod to end.
    func stop(grace: Duration) async {
        guard !stopping else { return }
        stopping = true
        for instance in instances.values { Glibc.kill(instance.process.pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while !instances.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for instance in instances.values { instance.cgroup?.signalAll(SIGKILL) }
        for task in containerTasks { await task.value }
    }

    /// After the last container: the sandbox goes and the final status is reported. The logs
    /// stay until the pod is deleted.
    private func finish() async {
        for task in probeTasks.values { task.cancel() }
        await sandbox?.stop()
        sandbox = nil
        try? FileManager.default.removeItem(atPath: "\(directory)/containers")
        await report()
    }

    /// Removes everything the pod had on the node (for a deleted pod, once it has ended).
    func cleanUp() async {
        await sandbox?.stop()
        sandbox = nil
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

    // MARK: Status

    private func update(_ container: PodContainer, _ change: (inout ContainerRuntimeState) -> Void) {
        var state = states[container.name] ?? ContainerRuntimeState(name: container.name, state: .waiting(reason: "ContainerCreating", message: nil))
        change(&state)
        states[container.name] = state
    }

    /// Sends the pod's status when it changed since the last report.
    private func report() async {
        let initNames = Set(PodContainer.initContainers(of: pod).map(\.name))
        let runtime = PodRuntimeState(
            containers: states.values.filter { !initNames.contains($0.name) },
            initContainers: states.values.filter { initNames.contains($0.name) },
            sandboxReady: sandbox != nil, hostIPs: [services.nodeAddress], startTime: startTime
        )
        let status = PodStatusBuilder().status(for: pod, runtime: runtime)
        guard status != lastReported else { return }
        do {
            let updated = try await services.client.patch(podPath + "/status", ["status": status])
            lastReported = status
            // The reported status is the previous one for the next report's transition times.
            if updated.uid == uid { pod = updated }
        } catch let failure as APIFailure where failure.isNotFound {
            return
        } catch {
            logger.warning("pod status not reported", metadata: ["error": "\(error)"])
        }
    }
}
