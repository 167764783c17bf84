import Foundation
import PalisadeAPI

/// A StatefulSet's `status` from its member pods, as Kubernetes counts it, and so as
/// `kubectl rollout status` reads it: the set is rolled out when `observedGeneration` is
/// current, enough pods are ready and updated, and (partition 0) `currentRevision` has
/// caught up with `updateRevision`.
enum StatefulSetStatus {
    /// The status to write.
    /// - Parameters:
    ///   - pods: every member pod, those finished, terminating or scaled away included.
    static func compute(_ set: JSONValue, pods: [JSONValue], updateRevision: String, now: Date) -> JSONValue {
        let minReady = set[path: ["spec", "minReadySeconds"]]?.intValue ?? 0
        // Without ControllerRevisions the current revision lives only in status; a new set starts at its update revision.
        var currentRevision = set[path: ["status", "currentRevision"]]?.stringValue ?? ""
        if currentRevision.isEmpty { currentRevision = updateRevision }
        let running = pods.filter { $0[path: ["status", "phase"]]?.stringValue == "Running" }
        let ready = running.filter(PodState.isReady)
        let live = pods.filter { $0.deletionTimestamp == nil }
        var current = live.filter { StatefulPodIdentity.revision(of: $0) == currentRevision }.count
        let updated = live.filter { StatefulPodIdentity.revision(of: $0) == updateRevision }.count
        // A rolling update is complete when every pod is updated and ready: the update
        // revision becomes the current one (with OnDelete it never does, as in Kubernetes).
        let rolling = (set[path: ["spec", "updateStrategy", "type"]]?.stringValue ?? "RollingUpdate") == "RollingUpdate"
        if rolling && updated == pods.count && ready.count == pods.count {
            currentRevision = updateRevision
            current = updated
        }
        var status = set["status"] ?? .emptyObject
        status["observedGeneration"] = .int(set[path: ["metadata", "generation"]]?.intValue ?? 1)
        status["replicas"] = .int(Int64(pods.count))
        status["readyReplicas"] = .int(Int64(ready.count))
        status["availableReplicas"] = .int(Int64(ready.filter { PodState.isAvailable($0, minReadySeconds: minReady, now: now) }.count))
        status["currentReplicas"] = .int(Int64(current))
        status["updatedReplicas"] = .int(Int64(updated))
        status["currentRevision"] = .string(currentRevision)
        status["updateRevision"] = .string(updateRevision)
        status["collisionCount"] = .int(set[path: ["status", "collisionCount"]]?.intValue ?? 0)
        return status
    }

    /// When a ready pod will count as available, for the controller to look again then.
    static func nextAvailable(_ set: JSONValue, pods: [JSONValue], now: Date) -> Duration? {
        let minReady = set[path: ["spec", "minReadySeconds"]]?.intValue ?? 0
        guard minReady > 0 else { return nil }
        let waits = pods.compactMap(PodState.readySince).map { $0.addingTimeInterval(TimeInterval(minReady)).timeIntervalSince(now) }.filter { $0 > 0 }
        return waits.min().map { .milliseconds(Int64(($0 * 1000).rounded(.up)) + 10) }
    }
}
