import Foundation
import PalisadeAPI

/// One node as a DaemonSet pass sees it.
struct DaemonNode {
    let name: String
    let fit: DaemonNodeFit
    /// The DaemonSet's pods for this node that are not being deleted, finished ones included.
    let pods: [JSONValue]

    /// Unfinished pods, oldest first (the one kept when there are several).
    var running: [JSONValue] {
        pods.filter { !PodState.isTerminal($0) }.sorted(by: PodOrder.olderFirst)
    }
}

/// What a DaemonSet pass does, decided from a snapshot and nothing else (so it is tested
/// without a server): one pod on every node that should run one, none elsewhere, and the
/// rolling update's replacements.
enum DaemonPlan {
    struct Actions {
        /// Nodes to create a pod for.
        var create: [String] = []
        /// Pods to delete gracefully.
        var delete: [JSONValue] = []
        /// Pods for nodes that no longer exist: deleted at once, as no kubelet will confirm.
        var deleteNow: [JSONValue] = []
    }

    /// Kubernetes' `podsShouldBeOnNode`, node by node: where a pod should run, finished pods
    /// are deleted and the oldest unfinished one is kept (one is created when there is none);
    /// where one may no longer stay, every pod goes. `strays` are pods whose node is gone.
    static func manage(_ nodes: [DaemonNode], strays: [JSONValue]) -> Actions {
        var actions = Actions(deleteNow: strays)
        for node in nodes {
            if node.fit.shouldRun {
                actions.delete += node.pods.filter(PodState.isTerminal)
                let running = node.running
                if running.isEmpty { actions.create.append(node.name) } else { actions.delete += running.dropFirst() }
            } else if !node.fit.shouldContinueRunning {
                actions.delete += node.pods
            }
        }
        return actions
    }

    /// `maxUnavailable` against the number of nodes that should run the pod: a percentage
    /// rounds up (as Kubernetes' DaemonSet does), and never less than one (there is no surge).
    static func maxUnavailable(_ daemonSet: JSONValue, desired: Int) -> Int {
        let field = daemonSet[path: ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]]
        return max(1, RolloutMath.value(field, of: desired, roundUp: true, default: "1"))
    }

    /// The old pods a rolling update deletes now (the manage step then recreates them from
    /// the current template). Nodes without exactly one pod, and up-to-date pods not yet
    /// available, count as unavailable; old pods that are unavailable anyway are always
    /// replaced, available ones only while fewer than `maxUnavailable` nodes are down.
    static func rollingUpdate(_ nodes: [DaemonNode], hash: String, maxUnavailable: Int, minReadySeconds: Int64, now: Date) -> [JSONValue] {
        var unavailable = 0
        var broken: [JSONValue] = []
        var candidates: [JSONValue] = []
        for node in nodes where node.fit.shouldRun {
            let running = node.running
            guard running.count == 1, let pod = running.first else {
                unavailable += 1
                continue
            }
            let available = PodState.isAvailable(pod, minReadySeconds: minReadySeconds, now: now)
            if DaemonPodTemplate.isUpdated(pod, hash: hash) {
                if !available { unavailable += 1 }
            } else if !available {
                broken.append(pod)
            } else {
                candidates.append(pod)
            }
        }
        let room = max(0, maxUnavailable - unavailable)
        return broken + candidates.sorted(by: PodOrder.olderFirst).prefix(room)
    }

    /// The status Kubernetes reports, from the oldest unfinished pod of each node:
    /// `kubectl rollout status` waits for `updatedNumberScheduled` and `numberAvailable` to
    /// reach `desiredNumberScheduled` at the current `observedGeneration`.
    static func status(_ daemonSet: JSONValue, nodes: [DaemonNode], hash: String, now: Date) -> JSONValue {
        let minReady = daemonSet[path: ["spec", "minReadySeconds"]]?.intValue ?? 0
        var desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0
        for node in nodes {
            let pod = node.running.first
            guard node.fit.shouldRun else {
                if pod != nil { misscheduled += 1 }
                continue
            }
            desired += 1
            guard let pod else { continue }
            current += 1
            if PodState.isReady(pod) { ready += 1 }
            if PodState.isAvailable(pod, minReadySeconds: minReady, now: now) { available += 1 }
            if DaemonPodTemplate.isUpdated(pod, hash: hash) { updated += 1 }
        }
        var status = daemonSet["status"] ?? .emptyObject
        status["desiredNumberScheduled"] = .int(Int64(desired))
        status["currentNumberScheduled"] = .int(Int64(current))
        status["numberMisscheduled"] = .int(Int64(misscheduled))
        status["numberReady"] = .int(Int64(ready))
        status["numberAvailable"] = .int(Int64(available))
        status["numberUnavailable"] = .int(Int64(desired - available))
        status["updatedNumberScheduled"] = .int(Int64(updated))
        status["observedGeneration"] = .int(daemonSet[path: ["metadata", "generation"]]?.intValue ?? 1)
        return status
    }
}
