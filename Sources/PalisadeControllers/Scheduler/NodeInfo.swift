import PalisadeAPI

/// One node as the scheduler sees it: what it offers and what the pods bound to it (or
/// assumed to be, while their binding is in flight) already take.
public struct NodeInfo: Sendable {
    /// The part of a bound pod that later placements look at.
    struct PlacedPod: Sendable {
        let namespace: String
        let labels: [String: String]
        let requests: Resources
        let hostPorts: [PodPlacement.HostPort]
        let antiAffinity: [PodPlacement.AntiAffinityTerm]
        let ownerUID: String?

        init(_ placement: PodPlacement) {
            namespace = placement.namespace
            labels = placement.labels
            requests = placement.requests
            hostPorts = placement.hostPorts
            antiAffinity = placement.antiAffinity
            ownerUID = placement.ownerUID
        }
    }

    public let name: String
    public let labels: [String: String]
    public let taints: [Taint]
    public let allocatable: Resources
    public let unschedulable: Bool
    public let ready: Bool
    var pods: [String: PlacedPod] = [:]
    public private(set) var requested = Resources()
    /// Requests as scoring counts them (a pod asking for nothing counts the defaults).
    private(set) var scoringRequested = Resources()
    private(set) var ownerCounts: [String: Int] = [:]

    public init(_ node: JSONValue) {
        name = node.name ?? ""
        labels = node.labels
        taints = (node[path: ["spec", "taints"]]?.arrayValue ?? []).map(Taint.init)
        allocatable = Resources(node[path: ["status", "allocatable"]] ?? node[path: ["status", "capacity"]])
        unschedulable = node[path: ["spec", "unschedulable"]]?.boolValue ?? false
        ready = (node[path: ["status", "conditions"]]?.arrayValue ?? [])
            .contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
    }

    /// The same node with another object's view of it, keeping the pods placed on it.
    func replacingNode(_ node: JSONValue) -> NodeInfo {
        var updated = NodeInfo(node)
        updated.pods = pods
        updated.requested = requested
        updated.scoringRequested = scoringRequested
        updated.ownerCounts = ownerCounts
        return updated
    }

    /// Whether a change from `self` to `other` could make an unschedulable pod fit.
    func mayAdmitMoreThan(_ other: NodeInfo) -> Bool {
        labels != other.labels || taints != other.taints || allocatable != other.allocatable
            || unschedulable != other.unschedulable || ready != other.ready
    }

    mutating func add(_ key: String, _ pod: PlacedPod) {
        if let old = pods[key] { remove(key, old) }
        pods[key] = pod
        requested = requested + pod.requests
        scoringRequested = scoringRequested + PlacementScores.scoringRequests(pod.requests)
        if let owner = pod.ownerUID { ownerCounts[owner, default: 0] += 1 }
    }

    mutating func remove(_ key: String) {
        guard let old = pods[key] else { return }
        remove(key, old)
    }

    private mutating func remove(_ key: String, _ pod: PlacedPod) {
        pods[key] = nil
        requested = requested - pod.requests
        scoringRequested = scoringRequested - PlacementScores.scoringRequests(pod.requests)
        if let owner = pod.ownerUID {
            ownerCounts[owner, default: 1] -= 1
            if ownerCounts[owner] == 0 { ownerCounts[owner] = nil }
        }
    }

    /// Node taints as Kubernetes' node lifecycle sets them: a node that is not Ready
    /// repels pods through `node.kubernetes.io/not-ready`, which pods may tolerate.
    var effectiveTaints: [Taint] {
        ready ? taints : taints + [Taint(key: "node.kubernetes.io/not-ready", value: "", effect: "NoSchedule")]
    }
}
