import PalisadeAPI

/// The checks a node must pass for a pod, each returning the reason in Kubernetes' words
/// when it fails (the summary of a FailedScheduling event counts nodes per reason).
enum PlacementFilters {
    /// Why the node cannot take the pod: the reasons of the first check that fails, in
    /// Kubernetes' filter order (unschedulable, taints, node selection, host ports,
    /// resources, anti-affinity); empty when it can. Only the resource check can give more
    /// than one reason (`Insufficient cpu` and `Insufficient memory`).
    static func failures(_ pod: PodPlacement, on node: NodeInfo, antiAffinityBlocked: Bool) -> [String] {
        let cordon = Taint(key: "node.kubernetes.io/unschedulable", value: "", effect: "NoSchedule")
        if node.unschedulable && !pod.tolerations.contains(where: { $0.tolerates(cordon) }) {
            return ["node(s) were unschedulable"]
        }
        if let taint = node.effectiveTaints.first(where: { taint in taint.repels && !pod.tolerations.contains { $0.tolerates(taint) } }) {
            return ["node(s) had untolerated taint \(taint.summary)"]
        }
        if !matchesNodeSelection(pod, node) {
            return ["node(s) didn't match Pod's node affinity/selector"]
        }
        if !pod.hostPorts.isEmpty && node.pods.values.contains(where: { placed in
            placed.hostPorts.contains { used in pod.hostPorts.contains { $0.conflicts(with: used) } }
        }) {
            return ["node(s) didn't have free ports for the requested pod ports"]
        }
        let free = node.allocatable - node.requested
        var insufficient: [String] = []
        if pod.requests.pods > free.pods { insufficient.append("Too many pods") }
        if pod.requests.milliCPU > 0 && pod.requests.milliCPU > free.milliCPU { insufficient.append("Insufficient cpu") }
        if pod.requests.memory > 0 && pod.requests.memory > free.memory { insufficient.append("Insufficient memory") }
        if !insufficient.isEmpty { return insufficient }
        return antiAffinityBlocked ? ["node(s) didn't match pod anti-affinity rules"] : []
    }

    /// `nodeSelector` (every label) and required node affinity (any one term, each of
    /// whose expressions must hold).
    static func matchesNodeSelection(_ pod: PodPlacement, _ node: NodeInfo) -> Bool {
        for (key, value) in pod.nodeSelector where node.labels[key] != value { return false }
        guard !pod.requiredNodeTerms.isEmpty else { return true }
        return pod.requiredNodeTerms.contains { term in
            let expressions = term["matchExpressions"]?.arrayValue ?? []
            let fields = term["matchFields"]?.arrayValue ?? []
            guard !expressions.isEmpty || !fields.isEmpty else { return false }
            return expressions.allSatisfy { holds($0, node.labels[$0["key"]?.stringValue ?? ""]) }
                && fields.allSatisfy { $0["key"]?.stringValue == "metadata.name" && holds($0, node.name) }
        }
    }

    /// One node selector requirement against a label's value (nil: the label is absent).
    static func holds(_ requirement: JSONValue, _ value: String?) -> Bool {
        let values = (requirement["values"]?.arrayValue ?? []).compactMap(\.stringValue)
        switch requirement["operator"]?.stringValue {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return value.map { !values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt": return compare(value, values, >)
        case "Lt": return compare(value, values, <)
        default: return false
        }
    }

    private static func compare(_ value: String?, _ values: [String], _ order: (Int64, Int64) -> Bool) -> Bool {
        guard let value = value.flatMap({ Int64($0) }), values.count == 1, let bound = Int64(values[0]) else { return false }
        return order(value, bound)
    }

    /// The summary Kubernetes gives: `0/3 nodes are available: 1 node(s) had untolerated taint
    /// {dedicated: gpu}, 2 Insufficient cpu.` — each reason with its count of nodes, the
    /// resulting strings sorted (as Kubernetes' FitError sorts them).
    static func summary(nodeCount: Int, reasons: [String: Int]) -> String {
        let parts = reasons.map { "\($0.value) \($0.key)" }.sorted()
        guard !parts.isEmpty else { return "0/\(nodeCount) nodes are available." }
        return "0/\(nodeCount) nodes are available: \(parts.joined(separator: ", "))."
    }
}
