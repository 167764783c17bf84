import Foundation
import PalisadeAPI
import PalisadeAgent
import Testing

/// Pod status as the kubelet writes it: phases by restart policy, conditions with stable
/// transition times, container statuses, init containers, and the QoS class.
@Suite struct PodStatusTests {
    static let earlier = Date(timeIntervalSince1970: 1_800_000_000)
    static let now = earlier.addingTimeInterval(60)
    static let builder = PodStatusBuilder(now: now)

    static func pod(restartPolicy: String = "Always", initContainers: [String] = [], containers: [String] = ["app"], status: JSONValue = [:])
        -> JSONValue
    {
        [
            "metadata": ["name": "web", "namespace": "shop"],
            "spec": [
                "restartPolicy": .string(restartPolicy),
                "initContainers": .array(initContainers.map { ["name": .string($0), "image": "busybox"] }),
                "containers": .array(containers.map { ["name": .string($0), "image": "nginx:1.27"] }),
            ],
            "status": status,
        ]
    }

    static func running(_ name: String, ready: Bool = true) -> ContainerRuntimeState {
        ContainerRuntimeState(name: name, state: .running(startedAt: earlier), ready: ready, started: true, imageID: "sha256:abc", id: "c-\(name)")
    }

    static func exited(_ name: String, _ code: Int32) -> ContainerRuntimeState {
        ContainerRuntimeState(name: name, state: .terminated(.init(exitCode: code, startedAt: earlier, finishedAt: now)))
    }

    static func condition(_ status: JSONValue, _ type: String) -> JSONValue? {
        status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    static func phase(_ pod: JSONValue, _ runtime: PodRuntimeState) -> String? {
        builder.status(for: pod, runtime: runtime)["phase"]?.stringValue
    }

    @Test func aPodWhoseContainersAreNotCreatedYetIsPending() {
        let status = Self.builder.status(for: Self.pod(), runtime: PodRuntimeState(startTime: Self.earlier))
        #expect(status["phase"] == "Pending")
        #expect(status["containerStatuses"]?.arrayValue?.first?[path: ["state", "waiting", "reason"]] == "ContainerCreating")
        #expect(Self.condition(status, "PodReadyToStartContainers")?["status"] == "False")
        #expect(Self.condition(status, "Initialized")?["status"] == "True")
        let ready = Self.condition(status, "Ready")
        #expect(
            ready?["status"] == "False" && ready?["reason"] == "ContainersNotReady" && ready?["message"] == "containers with unready status: [app]")
        #expect(status["startTime"] == .string(Timestamp.format(Self.earlier)) && status["qosClass"] == "BestEffort")
    }

    @Test func aRunningReadyPodReportsEverything() {
        let runtime = PodRuntimeState(containers: [Self.running("app")], sandboxReady: true, podIPs: ["10.1.0.7"], hostIPs: ["192.168.1.5"])
        let status = Self.builder.status(for: Self.pod(), runtime: runtime)
        #expect(status["phase"] == "Running" && status["podIP"] == "10.1.0.7" && status["hostIP"] == "192.168.1.5")
        #expect(status["podIPs"] == [["ip": "10.1.0.7"]])
        for type in ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"] {
            #expect(Self.condition(status, type)?["status"] == "True", "\(type)")
        }
        let container = status["containerStatuses"]?.arrayValue?.first
        #expect(container?["containerID"] == "palisade://c-app" && container?["image"] == "nginx:1.27" && container?["imageID"] == "sha256:abc")
        #expect(container?["ready"] == true && container?["started"] == true && container?["restartCount"] == 0)
        #expect(container?[path: ["state", "running", "startedAt"]] == .string(Timestamp.format(Self.earlier)))
        #expect(container?["lastState"] == .emptyObject)
    }

    @Test func transitionTimesStayWhileAConditionHoldsAndOtherConditionsAreKept() {
        let previous: JSONValue = [
            "phase": "Running", "startTime": "2020-01-01T00:00:00Z",
            "conditions": [
                ["type": "PodScheduled", "status": "True", "lastTransitionTime": "2020-01-01T00:00:00Z"],
                ["type": "Initialized", "status": "True", "lastTransitionTime": "2020-01-01T00:00:01Z"],
                ["type": "Ready", "status": "False", "lastTransitionTime": "2020-01-01T00:00:02Z"],
            ],
        ]
        let runtime = PodRuntimeState(containers: [Self.running("app")], sandboxReady: true)
        let status = Self.builder.status(for: Self.pod(status: previous), runtime: runtime)
        #expect(Self.condition(status, "PodScheduled")?["lastTransitionTime"] == "2020-01-01T00:00:00Z")
        #expect(Self.condition(status, "Initialized")?["lastTransitionTime"] == "2020-01-01T00:00:01Z")
        #expect(Self.condition(status, "Ready")?["lastTransitionTime"] == .string(Timestamp.format(Self.now)))
        #expect(status["startTime"] == "2020-01-01T00:00:00Z")
    }

    @Test(arguments: [
        ("Always", [0, 0], "Running"), ("Always", [0, 1], "Running"), ("OnFailure", [0, 0], "Succeeded"), ("OnFailure", [0, 1], "Running"),
        ("Never", [0, 0], "Succeeded"), ("Never", [0, 1], "Failed"),
    ])
    func exitedContainersGiveThePhaseTheRestartPolicyImplies(policy: String, exitCodes: [Int32], phase: String) {
        let pod = Self.pod(restartPolicy: policy, containers: ["a", "b"])
        let runtime = PodRuntimeState(containers: [Self.exited("a", exitCodes[0]), Self.exited("b", exitCodes[1])])
        #expect(Self.phase(pod, runtime) == phase)
    }

    @Test func oneRunningContainerKeepsThePodRunning() {
        let pod = Self.pod(restartPolicy: "Never", containers: ["a", "b"])
        #expect(Self.phase(pod, PodRuntimeState(containers: [Self.exited("a", 1), Self.running("b")])) == "Running")
    }

    @Test func aTerminalPodWithRestartPolicyAlwaysEndsByItsExitCodes() {
        let pod = Self.pod()
        #expect(Self.phase(pod, PodRuntimeState(containers: [Self.exited("app", 0)], isTerminal: true)) == "Succeeded")
        #expect(Self.phase(pod, PodRuntimeState(containers: [Self.exited("app", 137)], isTerminal: true)) == "Failed")
    }

    @Test func aCrashLoopingContainerKeepsThePodRunningAndShowsItsLastRun() {
        let crashed = ContainerRuntimeState.Termination(exitCode: 2, signal: nil, startedAt: Self.earlier, finishedAt: Self.now, containerID: "old")
        let state = ContainerRuntimeState(
            name: "app", state: .waiting(reason: "CrashLoopBackOff", message: "back-off 20s restarting failed container=app pod=web"),
            lastTermination: crashed, restartCount: 2)
        let status = Self.builder.status(for: Self.pod(), runtime: PodRuntimeState(containers: [state], sandboxReady: true))
        #expect(status["phase"] == "Running")
        let container = status["containerStatuses"]?.arrayValue?.first
        #expect(container?[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff" && container?["restartCount"] == 2)
        #expect(
            container?[path: ["lastState", "terminated", "exitCode"]] == 2 && container?[path: ["lastState", "terminated", "reason"]] == "Error")
        #expect(container?[path: ["lastState", "terminated", "containerID"]] == "palisade://old" && container?["started"] == false)
    }

    @Test func initContainersRunFirst() {
        let pod = Self.pod(initContainers: ["migrate", "seed"])
        let runtime = PodRuntimeState(initContainers: [Self.exited("migrate", 0), Self.running("seed", ready: false)], sandboxReady: true)
        let status = Self.builder.status(for: pod, runtime: runtime)
        #expect(status["phase"] == "Pending")
        let initialized = Self.condition(status, "Initialized")
        #expect(initialized?["status"] == "False" && initialized?["reason"] == "ContainersNotInitialized")
        #expect(initialized?["message"] == "containers with incomplete status: [seed]")
        #expect(status["initContainerStatuses"]?.arrayValue?.map { $0["name"] } == ["migrate", "seed"])
        #expect(status["initContainerStatuses"]?.arrayValue?.first?[path: ["state", "terminated", "reason"]] == "Completed")
        #expect(status["containerStatuses"]?.arrayValue?.first?[path: ["state", "waiting", "reason"]] == "PodInitializing")

        let done = PodRuntimeState(containers: [Self.running("app")], initContainers: [Self.exited("migrate", 0), Self.exited("seed", 0)])
        let after = Self.builder.status(for: pod, runtime: done)
        #expect(after["phase"] == "Running" && Self.condition(after, "Initialized")?["status"] == "True")
    }

    @Test func aFailedInitContainerFailsAPodThatNeverRestarts() {
        let runtime = PodRuntimeState(initContainers: [Self.exited("migrate", 1)])
        #expect(Self.phase(Self.pod(restartPolicy: "Never", initContainers: ["migrate"]), runtime) == "Failed")
        #expect(Self.phase(Self.pod(restartPolicy: "Always", initContainers: ["migrate"]), runtime) == "Pending")
    }

    @Test func aRunAsNonRootRefusalIsAConfigErrorOnTheContainer() {
        let refused = ContainerRuntimeState.configError(name: "app", message: "container has runAsNonRoot and image will run as root")
        let status = Self.builder.status(for: Self.pod(), runtime: PodRuntimeState(containers: [refused], sandboxReady: true))
        #expect(status["phase"] == "Pending")
        let waiting = status["containerStatuses"]?.arrayValue?.first?[path: ["state", "waiting"]]
        #expect(waiting == ["reason": "CreateContainerConfigError", "message": "container has runAsNonRoot and image will run as root"])
    }

    @Test func aFinishedPodStaysFinished() {
        let pod = Self.pod(restartPolicy: "Never", status: ["phase": "Succeeded"])
        let status = Self.builder.status(for: pod, runtime: PodRuntimeState(containers: [Self.running("app")]))
        #expect(status["phase"] == "Succeeded" && Self.condition(status, "Ready")?["reason"] == "PodCompleted")
    }

    @Test func readinessGatesHoldBackReady() {
        var pod = Self.pod(status: ["conditions": [["type": "example.com/lb", "status": "False"]]])
        pod[path: ["spec", "readinessGates"]] = [["conditionType": "example.com/lb"], ["conditionType": "example.com/dns"]]
        let status = Self.builder.status(for: pod, runtime: PodRuntimeState(containers: [Self.running("app")]))
        let ready = Self.condition(status, "Ready")
        #expect(ready?["status"] == "False" && ready?["reason"] == "ReadinessGatesNotReady")
        #expect(Self.condition(status, "ContainersReady")?["status"] == "True")
        #expect(Self.condition(status, "example.com/lb")?["status"] == "False")
    }

    @Test(
        arguments: [
            ([:], "BestEffort"),
            (["limits": ["cpu": "1", "memory": "1Gi"]], "Guaranteed"),
            (["limits": ["cpu": "1", "memory": "1Gi"], "requests": ["cpu": "1000m", "memory": "1Gi"]], "Guaranteed"),
            (["limits": ["cpu": "1", "memory": "1Gi"], "requests": ["cpu": "500m"]], "Burstable"),
            (["requests": ["memory": "64Mi"]], "Burstable"),
            (["limits": ["cpu": "1"]], "Burstable"),
        ] as [(JSONValue, String)])
    func qosClassFollowsTheResources(resources: JSONValue, qos: String) {
        var pod = Self.pod()
        pod[path: ["spec", "containers"]] = [["name": "app", "resources": resources]]
        #expect(QOSClass.of(pod) == qos)
    }

    @Test func anInitContainerWithoutLimitsMakesAGuaranteedPodBurstable() {
        var pod = Self.pod(initContainers: ["setup"])
        pod[path: ["spec", "containers"]] = [["name": "app", "resources": ["limits": ["cpu": "1", "memory": "1Gi"]]]]
        #expect(QOSClass.of(pod) == "Burstable")
    }
}
