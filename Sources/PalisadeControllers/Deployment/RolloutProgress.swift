import Foundation
import PalisadeAPI

/// The `Progressing` condition of a rollout under way, with Kubernetes' progress deadline:
/// it is refreshed (its `lastUpdateTime` moves) whenever the rollout moved since the status
/// last written, and turns False with `ProgressDeadlineExceeded` once
/// `spec.progressDeadlineSeconds` pass without that — `kubectl rollout status` then fails
/// with "exceeded its progress deadline" instead of waiting for ever.
enum RolloutProgress {
    struct Verdict {
        let condition: (status: String, reason: String, message: String)
        /// Whether the condition must be rewritten with a new `lastUpdateTime`.
        let refresh: Bool
        /// When the deadline falls, if it has not.
        let deadline: Date?
    }

    /// The counts whose change is progress.
    static let progressFields = ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas"]

    static func verdict(deployment: JSONValue, newStatus: JSONValue, newReplicaSet: String, now: Date) -> Verdict {
        let moving = (status: "True", reason: "ReplicaSetUpdated", message: "ReplicaSet \"\(newReplicaSet)\" is progressing.")
        let previous = (deployment[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Progressing" }
        let progressed = progressFields.contains { deployment[path: ["status", $0]] != newStatus[$0] }
        let lastUpdate = previous?["lastUpdateTime"]?.stringValue.flatMap(Timestamp.parse)
        guard let seconds = deployment[path: ["spec", "progressDeadlineSeconds"]]?.intValue, seconds < Int64(Int32.max) else {
            return Verdict(condition: moving, refresh: progressed, deadline: nil)
        }
        // The clock runs from the last progress of this rollout (not from a completed or paused one).
        let reason = previous?["reason"]?.stringValue
        let exceeded = (status: "False", reason: "ProgressDeadlineExceeded", message: "ReplicaSet \"\(newReplicaSet)\" has timed out progressing.")
        // Once exceeded, it stays so until the rollout moves again.
        if !progressed && reason == exceeded.reason { return Verdict(condition: exceeded, refresh: false, deadline: nil) }
        guard !progressed, reason == moving.reason, let lastUpdate else {
            return Verdict(condition: moving, refresh: true, deadline: now.addingTimeInterval(TimeInterval(seconds)))
        }
        let deadline = lastUpdate.addingTimeInterval(TimeInterval(seconds))
        guard deadline <= now else { return Verdict(condition: moving, refresh: false, deadline: deadline) }
        return Verdict(condition: exceeded, refresh: false, deadline: nil)
    }
}
