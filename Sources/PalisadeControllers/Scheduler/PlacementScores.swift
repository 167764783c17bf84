/// How much a node is preferred for a pod, 0…300: least allocated (room left after the
/// pod), balanced allocation (CPU and memory used in like proportion) and spreading (fewer
/// replicas of the pod's owner already there), each 0…100 with equal weight, as
/// Kubernetes' default plugins score.
enum PlacementScores {
    /// What scoring counts for a pod that requests nothing, as Kubernetes does, so empty
    /// requests still spread.
    static let defaultMilliCPU: Int64 = 100
    static let defaultMemory: Int64 = 200 * 1024 * 1024

    static func scoringRequests(_ requests: Resources) -> Resources {
        Resources(
            milliCPU: requests.milliCPU == 0 ? defaultMilliCPU : requests.milliCPU,
            memory: requests.memory == 0 ? defaultMemory : requests.memory, pods: requests.pods
        )
    }

    static func score(_ pod: PodPlacement, on node: NodeInfo, mostReplicas: Int) -> Double {
        let request = scoringRequests(pod.requests)
        let cpu = fraction(node.scoringRequested.milliCPU + request.milliCPU, of: node.allocatable.milliCPU)
        let memory = fraction(node.scoringRequested.memory + request.memory, of: node.allocatable.memory)
        let leastAllocated = ((1 - cpu) + (1 - memory)) * 50
        let balanced = (1 - abs(cpu - memory) / 2) * 100
        let replicas = pod.ownerUID.map { node.ownerCounts[$0] ?? 0 } ?? 0
        let spread = mostReplicas == 0 ? 100 : Double(mostReplicas - replicas) * 100 / Double(mostReplicas)
        return leastAllocated + balanced + spread
    }

    /// `used / capacity`, clamped to 0…1 (a node with no capacity counts as full).
    private static func fraction(_ used: Int64, of capacity: Int64) -> Double {
        guard capacity > 0 else { return 1 }
        return min(1, max(0, Double(used) / Double(capacity)))
    }
}
