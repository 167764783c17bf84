import PalisadeAPI

/// Whether a node should run a DaemonSet's pod, with the scheduler's own checks (node
/// selection and taints against the pod's tolerations, the automatic ones included), as
/// Kubernetes' `NodeShouldRunDaemonPod`. Resources are not looked at: a daemon pod that
/// does not fit stays Pending and is counted, as in Kubernetes.
struct DaemonNodeFit: Equatable {
    /// A new daemon pod belongs there: selection matches and every NoSchedule and
    /// NoExecute taint is tolerated.
    let shouldRun: Bool
    /// A daemon pod already there may stay: selection matches and every NoExecute taint is
    /// tolerated (a NoSchedule taint added later does not drive it away).
    let shouldContinueRunning: Bool

    /// - Parameter placement: the daemon pod as the scheduler reads it, built once per pass
    ///   from ``DaemonPodTemplate/specWithTolerations(_:)``.
    init(_ placement: PodPlacement, on node: NodeInfo) {
        guard PlacementFilters.matchesNodeSelection(placement, node) else {
            shouldRun = false
            shouldContinueRunning = false
            return
        }
        let untolerated = node.effectiveTaints.filter { taint in taint.repels && !placement.tolerations.contains { $0.tolerates(taint) } }
        shouldRun = untolerated.isEmpty
        shouldContinueRunning = !untolerated.contains { $0.effect == "NoExecute" }
    }

    init(shouldRun: Bool, shouldContinueRunning: Bool) {
        self.shouldRun = shouldRun
        self.shouldContinueRunning = shouldContinueRunning
    }

    /// The daemon pod of `daemonSet` as placement sees it, without a node chosen.
    static func placement(of daemonSet: JSONValue) -> PodPlacement {
        PodPlacement([
            "metadata": ["namespace": .string(daemonSet.namespace ?? ""), "labels": daemonSet[path: ["spec", "template", "metadata", "labels"]] ?? .emptyObject],
            "spec": DaemonPodTemplate.specWithTolerations(daemonSet),
        ])
    }
}
