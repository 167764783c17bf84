import Foundation
import PalisadeAPI

/// The conditions the kubelet owns (`PodReadyToStartContainers`, `Initialized`, `Ready`,
/// `ContainersReady`), computed from container states, merged with the conditions others own
/// (`PodScheduled`, `DisruptionTarget`, readiness gates), which are kept as they are.
enum PodConditions {
    static let owned: Set<String> = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"]

    struct Condition {
        var type: String
        var status: Bool
        var reason: String?
        var message: String?
    }

    static func build(
        pod: JSONValue, phase: String, initContainers: [ContainerRuntimeState], containers: [ContainerRuntimeState],
        sandboxReady: Bool, now: Date
    ) -> [JSONValue] {
        let previous = pod[path: ["status", "conditions"]]?.arrayValue ?? []
        let containersReady = self.containersReady(phase: phase, containers: containers)
        let computed = [
            Condition(type: "PodReadyToStartContainers", status: sandboxReady),
            initialized(phase: phase, initContainers: initContainers, containers: containers),
            ready(pod: pod, containersReady: containersReady, previous: previous),
            containersReady,
        ]
        let kept = previous.filter { !owned.contains($0["type"]?.stringValue ?? "") }
        return computed.map { json($0, previous: previous, now: now) } + kept
    }

    private static func initialized(phase: String, initContainers: [ContainerRuntimeState], containers: [ContainerRuntimeState]) -> Condition {
        if phase == "Succeeded" { return Condition(type: "Initialized", status: true, reason: "PodCompleted") }
        let incomplete = initContainers.filter {
            if case .terminated(let end) = $0.state { return end.exitCode != 0 }
            return true
        }
        // Once an app container has run, the pod stays initialized (init containers do not run again).
        let appStarted = containers.contains {
            if case .waiting = $0.state { return $0.lastTermination != nil }
            return true
        }
        if incomplete.isEmpty || appStarted { return Condition(type: "Initialized", status: true) }
        return Condition(
            type: "Initialized", status: false, reason: "ContainersNotInitialized",
            message: "containers with incomplete status: \(list(incomplete))")
    }

    private static func containersReady(phase: String, containers: [ContainerRuntimeState]) -> Condition {
        if phase == "Succeeded" || phase == "Failed" {
            return Condition(type: "ContainersReady", status: false, reason: phase == "Succeeded" ? "PodCompleted" : "PodFailed")
        }
        let unready = containers.filter { !$0.ready }
        if unready.isEmpty { return Condition(type: "ContainersReady", status: true) }
        return Condition(
            type: "ContainersReady", status: false, reason: "ContainersNotReady", message: "containers with unready status: \(list(unready))")
    }

    /// Ready: containers ready and every readiness gate's condition True.
    private static func ready(pod: JSONValue, containersReady: Condition, previous: [JSONValue]) -> Condition {
        guard containersReady.status else {
            return Condition(type: "Ready", status: false, reason: containersReady.reason, message: containersReady.message)
        }
        var problems: [String] = []
        for gate in pod[path: ["spec", "readinessGates"]]?.arrayValue ?? [] {
            let type = gate["conditionType"]?.stringValue ?? ""
            guard let condition = previous.first(where: { $0["type"]?.stringValue == type }) else {
                problems.append("corresponding condition of pod readiness gate \"\(type)\" does not exist.")
                continue
            }
            let status = condition["status"]?.stringValue ?? "Unknown"
            if status != "True" { problems.append("the status of pod readiness gate \"\(type)\" is not \"True\", but \(status)") }
        }
        if problems.isEmpty { return Condition(type: "Ready", status: true) }
        return Condition(type: "Ready", status: false, reason: "ReadinessGatesNotReady", message: problems.joined(separator: ", "))
    }

    /// `[a b]`, as Go prints a list of names.
    private static func list(_ containers: [ContainerRuntimeState]) -> String {
        "[" + containers.map(\.name).joined(separator: " ") + "]"
    }

    /// The condition as JSON; its transition time is the previous one's when its status did not change.
    private static func json(_ condition: Condition, previous: [JSONValue], now: Date) -> JSONValue {
        let status = condition.status ? "True" : "False"
        let earlier = previous.first { $0["type"]?.stringValue == condition.type }
        let transition =
            earlier.flatMap { $0["status"]?.stringValue == status ? $0["lastTransitionTime"] : nil } ?? .string(Timestamp.format(now))
        var json: JSONValue = ["type": .string(condition.type), "status": .string(status), "lastProbeTime": .null, "lastTransitionTime": transition]
        if let reason = condition.reason { json["reason"] = .string(reason) }
        if let message = condition.message { json["message"] = .string(message) }
        return json
    }
}
