import Foundation
import PalisadeAPI

/// What one pass does to a StatefulSet's pods, decided from a snapshot of them (pure, so the
/// ordering rules are testable without a server), as Kubernetes' StatefulSet control does:
///
/// 1. Ordinals in range, lowest first: a missing pod is created, a finished one (Failed or
///    Succeeded) deleted so the next pass recreates it under the same name. `OrderedReady`
///    stops at the first such change and at the first pod not Running and available, so
///    ordinal i is only created once every lower one is up.
/// 2. Ordinals out of range (scaled away), highest first: deleted. `OrderedReady` deletes one
///    and waits for it to be gone; reached only when every pod in range is up. (Kubernetes
///    also holds back an unhealthy scaled-away pod that is not the lowest unhealthy one,
///    which can stall a scale-down of several unhealthy pods; deleting a pod that is going
///    anyway costs no availability, so here the highest goes whatever its health.)
/// 3. `RollingUpdate` only: pods at index >= `partition` not at the update revision are
///    deleted from the highest ordinal down, at most `maxUnavailable` pods in range
///    unavailable at once (counting those missing or not yet up): the deleted pod comes back
///    at the update revision in step 1, and the next waits for it.
///
/// `Parallel` runs every step for every pod in one pass; steps 1 and 2 are unordered there.
enum StatefulPlan {
    struct Settings: Sendable {
        var ordinals: Range<Int>
        /// `OrderedReady` (as opposed to `Parallel`).
        var ordered = true
        /// `RollingUpdate` (as opposed to `OnDelete`).
        var rollingUpdate = true
        /// Pods whose index (ordinal - start) is below it keep their revision.
        var partition = 0
        var maxUnavailable = 1
        var updateRevision: String
        var minReadySeconds: Int64 = 0
    }

    enum Action: Equatable, Sendable {
        case create(ordinal: Int)
        case delete(ordinal: Int)
    }

    static func settings(of set: JSONValue) -> Settings {
        let ordinals = StatefulPodIdentity.ordinals(of: set)
        let strategy = set[path: ["spec", "updateStrategy"]]
        let rolling = strategy?["rollingUpdate"]
        // As Kubernetes: a percentage rounds down, and at least one pod may be unavailable.
        let maxUnavailable = max(1, RolloutMath.value(rolling?["maxUnavailable"], of: ordinals.count, roundUp: false, default: "1"))
        return Settings(
            ordinals: ordinals,
            ordered: set[path: ["spec", "podManagementPolicy"]]?.stringValue != "Parallel",
            rollingUpdate: (strategy?["type"]?.stringValue ?? "RollingUpdate") == "RollingUpdate",
            partition: Int(rolling?["partition"]?.intValue ?? 0),
            maxUnavailable: maxUnavailable,
            updateRevision: StatefulPodIdentity.updateRevision(of: set),
            minReadySeconds: set[path: ["spec", "minReadySeconds"]]?.intValue ?? 0
        )
    }

    /// Running, ready for `minReadySeconds`, and not being deleted: what ordered creation,
    /// ordered scale-down and the rolling update wait for.
    static func isUp(_ pod: JSONValue, minReadySeconds: Int64, now: Date) -> Bool {
        pod[path: ["status", "phase"]]?.stringValue == "Running" && pod.deletionTimestamp == nil
            && PodState.isAvailable(pod, minReadySeconds: minReadySeconds, now: now)
    }

    /// The actions of one pass, in the order to carry them out.
    /// - Parameter pods: the set's member pods by ordinal, including finished and terminating ones.
    static func actions(_ settings: Settings, pods: [Int: JSONValue], now: Date) -> [Action] {
        var actions: [Action] = []
        let up = { (pod: JSONValue) in isUp(pod, minReadySeconds: settings.minReadySeconds, now: now) }

        for ordinal in settings.ordinals {
            guard let pod = pods[ordinal] else {
                actions.append(.create(ordinal: ordinal))
                if settings.ordered { return actions }
                continue
            }
            if PodState.isTerminal(pod) {
                if pod.deletionTimestamp == nil { actions.append(.delete(ordinal: ordinal)) }
                if settings.ordered { return actions }
                continue
            }
            if settings.ordered && !up(pod) { return actions }
        }

        for ordinal in pods.keys.filter({ !settings.ordinals.contains($0) }).sorted(by: >) {
            if pods[ordinal]?.deletionTimestamp == nil { actions.append(.delete(ordinal: ordinal)) }
            if settings.ordered { return actions }
        }

        guard settings.rollingUpdate else { return actions }
        let unavailable = settings.ordinals.filter { pods[$0].map { !up($0) } ?? true }.count
        var budget = settings.maxUnavailable - unavailable
        for ordinal in settings.ordinals.reversed() where budget > 0 && ordinal - settings.ordinals.lowerBound >= settings.partition {
            guard let pod = pods[ordinal], pod.deletionTimestamp == nil,
                StatefulPodIdentity.revision(of: pod) != settings.updateRevision, !actions.contains(.delete(ordinal: ordinal))
            else { continue }
            actions.append(.delete(ordinal: ordinal))
            budget -= 1
        }
        return actions
    }
}
