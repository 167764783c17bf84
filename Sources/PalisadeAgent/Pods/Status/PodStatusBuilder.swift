import Foundation
import PalisadeAPI

/// Builds a pod's `status`, ready to PUT to `pods/<name>/status`, from what the agent knows
/// about its containers, as the kubelet's status manager does: the phase, the conditions
/// (transition times kept while a condition's status holds), container statuses in spec
/// order, IPs, start time and QoS class.
///
/// Init containers are taken to run in order before the app containers (sidecars, init
/// containers with `restartPolicy: Always`, are not treated specially).
public struct PodStatusBuilder: Sendable {
    public var now: Date

    public init(now: Date = Date()) {
        self.now = now
    }

    /// The new status of `pod` (whose current `status` is the previous one).
    public func status(for pod: JSONValue, runtime: PodRuntimeState) -> JSONValue {
        let previous = pod["status"] ?? .emptyObject
        let initSpecs = PodContainer.initContainers(of: pod)
        let appSpecs = PodContainer.appContainers(of: pod)
        let initStates = initSpecs.map { spec in
            runtime.initContainers.first { $0.name == spec.name }
                ?? ContainerRuntimeState(name: spec.name, state: .waiting(reason: "PodInitializing", message: nil))
        }
        let initDone = initStates.allSatisfy {
            if case .terminated(let end) = $0.state { return end.exitCode == 0 }
            return false
        }
        let appStates = appSpecs.map { spec in
            runtime.containers.first { $0.name == spec.name }
                ?? ContainerRuntimeState(name: spec.name, state: .waiting(reason: initDone ? "ContainerCreating" : "PodInitializing", message: nil))
        }

        var phase = PodPhase.of(
            initContainers: initStates, containers: appStates,
            restartPolicy: pod[path: ["spec", "restartPolicy"]]?.stringValue ?? "Always", isTerminal: runtime.isTerminal)
        // A pod that finished stays finished.
        if let earlier = previous["phase"]?.stringValue, earlier == "Succeeded" || earlier == "Failed" { phase = earlier }

        var status: JSONValue = [
            "phase": .string(phase),
            "conditions": .array(
                PodConditions.build(
                    pod: pod, phase: phase, initContainers: initStates, containers: appStates, sandboxReady: runtime.sandboxReady, now: now)),
            "containerStatuses": .array(zip(appSpecs, appStates).map { $1.json(specImage: $0.spec["image"]?.stringValue ?? "") }),
            "qosClass": .string(QOSClass.of(pod)),
            "startTime": previous["startTime"] ?? .string(Timestamp.format(runtime.startTime ?? now)),
        ]
        if !initSpecs.isEmpty {
            status["initContainerStatuses"] = .array(zip(initSpecs, initStates).map { $1.json(specImage: $0.spec["image"]?.stringValue ?? "") })
        }
        Self.addIPs(runtime.hostIPs, single: "hostIP", list: "hostIPs", to: &status, previous: previous)
        Self.addIPs(runtime.podIPs, single: "podIP", list: "podIPs", to: &status, previous: previous)
        if let reason = runtime.reason { status["reason"] = .string(reason) }
        if let message = runtime.message { status["message"] = .string(message) }
        return status
    }

    /// `podIP` and `podIPs: [{ip}]` (or the host's), kept from before when not known now.
    private static func addIPs(_ ips: [String], single: String, list: String, to status: inout JSONValue, previous: JSONValue) {
        guard let first = ips.first else {
            status[single] = previous[single]
            status[list] = previous[list]
            return
        }
        status[single] = .string(first)
        status[list] = .array(ips.map { ["ip": .string($0)] })
    }
}
