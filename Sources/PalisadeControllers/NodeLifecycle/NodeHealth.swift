import Foundation
import PalisadeAPI

/// What the node lifecycle controller reads from a Node and its Lease.
enum NodeHealth {
    static let unreachable = "node.kubernetes.io/unreachable"
    static let notReady = "node.kubernetes.io/not-ready"

    /// The newest sign of life: the Lease's `renewTime` or the Ready condition's
    /// `lastHeartbeatTime`, else when the node was created.
    static func lastHeartbeat(of node: JSONValue, lease: JSONValue?) -> Date {
        let renewed = lease?[path: ["spec", "renewTime"]]?.stringValue.flatMap(Timestamp.parse)
        let posted = readyCondition(of: node)?["lastHeartbeatTime"]?.stringValue.flatMap(Timestamp.parse)
        let created = node.creationTimestamp.flatMap(Timestamp.parse) ?? .distantPast
        return [renewed, posted, created].compactMap { $0 }.max() ?? created
    }

    static func readyCondition(of node: JSONValue) -> JSONValue? {
        (node[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }
    }

    /// The node's conditions once its agent is presumed gone: every condition Unknown, as
    /// Kubernetes marks them ("Kubelet stopped posting node status.").
    static func unknownConditions(of node: JSONValue, now: Date) -> [JSONValue] {
        let stamp = JSONValue.string(Timestamp.format(now))
        var conditions = node[path: ["status", "conditions"]]?.arrayValue ?? []
        if readyCondition(of: node) == nil { conditions.append(["type": "Ready"]) }
        return conditions.map { condition in
            guard condition["status"]?.stringValue != "Unknown" else { return condition }
            var updated = condition
            updated["status"] = "Unknown"
            updated["reason"] = "NodeStatusUnknown"
            updated["message"] = "Kubelet stopped posting node status."
            updated["lastTransitionTime"] = stamp
            if updated["lastHeartbeatTime"] == nil { updated["lastHeartbeatTime"] = stamp }
            return updated
        }
    }

    /// The node's taints with the NoExecute taint its Ready condition calls for (unreachable
    /// when Unknown, not-ready when False, neither when True or absent), keeping the time an unchanged
    /// taint was added: eviction deadlines count from it.
    static func taints(of node: JSONValue, now: Date) -> [JSONValue] {
        let current = node[path: ["spec", "taints"]]?.arrayValue ?? []
        let wanted: String? = switch readyCondition(of: node)?["status"]?.stringValue {
        case "False": notReady
        case "Unknown": unreachable
        default: nil  // Ready, or not reported yet (the grace period decides that).
        }
        var taints = current.filter { taint in
            let key = taint["key"]?.stringValue
            return !((key == unreachable || key == notReady) && taint["effect"]?.stringValue == "NoExecute" && key != wanted)
        }
        if let wanted, !taints.contains(where: { $0["key"]?.stringValue == wanted && $0["effect"]?.stringValue == "NoExecute" }) {
            taints.append(["key": .string(wanted), "effect": "NoExecute", "timeAdded": .string(Timestamp.format(now))])
        }
        return taints
    }
}
