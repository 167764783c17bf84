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
    var pod: JSONValue
    var states: [String: ContainerRuntimeState] = [:]
    var instances: [String: ContainerRunner.Instance] = [:]
    var sandbox: PodSandbox?
    var volumes: PreparedVolumes?
    var userNamespace: (hostBase: UInt32, size: UInt32)?
    var startTime: Date?
    var stopping = false
    var lastReported: JSONValue?
    var reporting = false
    var reportAgain = false
    var containerTasks: [Task<Void, Never>] = []
    var probeTasks: [String: Task<Void, Never>] = [:]
    let logger: Logger

    init(pod: JSONValue, services: AgentServices) {
        self.pod = pod
        self.services = services
        uid = pod.uid ?? ""
        var logger = services.logger
        logger[metadataKey: "pod"] = "\(pod.namespace ?? "")/\(pod.name ?? "")"
        self.logger = logger
    }

    var directory: String { "\(services.podsDirectory)/\(uid)" }
    var podPath: String { "/api/v1/namespaces/\(pod.namespace ?? "")/pods/\(pod.name ?? "")" }
    var restartPolicy: String { pod[path: ["spec", "restartPolicy"]]?.stringValue ?? "Always" }

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

    func prepare() async throws {
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
    func runInit(_ container: PodContainer) async -> Bool {
        while !stopping {
            let exit = await runOnce(container)
            if exit == 0 { return true }
            if exit != nil && restartPolicy == "Never" { return false }
            await backOff(container)
        }
        return false
    }

    /// Runs a container, again and again as the restart policy says.
    func keepRunning(_ container: PodContainer) async {
        while !stopping {
            let exit = await runOnce(container)
            // One that never started (its image or a Secret missing, say) is tried again whatever
            // the policy, as the kubelet does: the pod waits for what it needs.
            let restarts = exit.map { RestartBackoff.shouldRestart(restartPolicy: restartPolicy, exitCode: $0) } ?? true
            guard !stopping, restarts else { return }
            await backOff(container)
        }
    }

    /// One start of a container, waited to its end: its exit code, or nil when it never ran.
    func runOnce(_ container: PodContainer) async -> Int32? {
        guard let sandbox else { return nil }
        let name = container.name
        // A start after one that ran is a restart (the kubelet counts them as they happen).
        if states[name]?.lastTermination != nil { update(container) { $0.restartCount += 1 } }
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
        // Stopped while it was being started: it goes at once.
        if stopping { Self.killNow(instance) }
        let id = "\(uid)/\(name)/\(restarts)"
        let probes = try? ContainerProbes(container: container)
        update(container) { state in
            state.state = .running(startedAt: instance.startedAt)
            state.imageID = instance.imageID
            state.id = id
            state.started = probes?.startup == nil
            state.ready = container.kind == .app && probes?.startup == nil && probes?.readiness == nil
        }
        let logCap = Task { await ContainerLogCap(path: "\(logDirectory)/\(restarts).log", limit: services.logLimit).watch() }
        defer { logCap.cancel() }
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
    func record(_ failure: ContainerRunner.Failure, for container: PodContainer) async -> Int32? {
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
    func backOff(_ container: PodContainer) async {
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
        }
        await report()
        await pause(for: delay)
    }

    /// Sleeps for `delay`, or less when the pod is stopped meanwhile.
    func pause(for delay: Duration) async {
        let deadline = ContinuousClock.now + delay
        while !stopping, ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(200), deadline - ContinuousClock.now))
        }
    }
}
