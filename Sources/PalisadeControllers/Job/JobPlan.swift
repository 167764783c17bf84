import Foundation
import PalisadeAPI

/// What one Job pass does, decided from the Job and its pods alone (so it is tested without
/// a server), as Kubernetes' job controller decides it:
///
/// - succeeded and failed pods are counted (never below what `status` already says, since
///   finished pods may be deleted by their users); with `restartPolicy: OnFailure`, the
///   container restarts of running pods count against `backoffLimit` too;
/// - more than `backoffLimit` failures, or `activeDeadlineSeconds` since `startTime`, fail
///   the Job; `completions` successes (every index, for an Indexed Job) complete it. Either
///   way an interim condition comes first, the active pods are deleted, and the terminal
///   condition follows once none is left (`completionTime` with `Complete`);
/// - `suspend` deletes the active pods and keeps none (condition `Suspended`); resuming
///   restarts the deadline's clock;
/// - otherwise `min(parallelism, completions - succeeded)` pods are kept active, new ones
///   waiting out an exponential backoff after consecutive failures.
struct JobPlan {
    /// The status to write.
    var status: JSONValue = .emptyObject
    /// One entry per pod to create: its completion index, or nil for a NonIndexed Job.
    var create: [Int?] = []
    var delete: [JSONValue] = []
    /// When to look again although no watch event may come (deadline, backoff).
    var recheck: Duration?

    /// The longest wait before replacing failed pods (Kubernetes' six minutes).
    static let maxBackoff = Duration.seconds(360)

    /// - Parameters:
    ///   - pods: every pod the Job owns, finished and terminating ones included.
    ///   - backoff: the wait after one failure, doubled for each further consecutive one.
    init(_ job: JSONValue, pods: [JSONValue], now: Date, backoff: Duration) {
        let spec = job["spec"] ?? .emptyObject
        let completions = spec["completions"]?.intValue.map { Int($0) }
        let parallelism = Int(spec["parallelism"]?.intValue ?? 1)
        let indexed = spec["completionMode"]?.stringValue == "Indexed" && completions != nil
        let previous = job["status"] ?? .emptyObject
        var conditions = previous["conditions"]?.arrayValue ?? []

        let active = pods.filter(PodState.isActive)
        let terminating = pods.filter { $0.deletionTimestamp != nil && !PodState.isTerminal($0) }
        let succeededPods = pods.filter { $0[path: ["status", "phase"]]?.stringValue == "Succeeded" }
        let failedPods = pods.filter { $0[path: ["status", "phase"]]?.stringValue == "Failed" }
        var completedIndexes = Set<Int>()
        if indexed, let completions {
            completedIndexes = JobPods.parseIndexes(previous["completedIndexes"]?.stringValue ?? "").filter { $0 < completions }
            completedIndexes.formUnion(succeededPods.compactMap { JobPods.index(of: $0, completions: completions) })
        }
        let succeeded = indexed ? completedIndexes.count : max(Int(previous["succeeded"]?.intValue ?? 0), succeededPods.count)
        let failed = max(Int(previous["failed"]?.intValue ?? 0), failedPods.count)
        var startTime = previous["startTime"]
        var completionTime = previous["completionTime"]
        let suspended = spec["suspend"]?.boolValue ?? false

        if JobConditions.isTrue(conditions, "Complete") || JobConditions.isTrue(conditions, "Failed") {
            // Finished: nothing more runs.
            delete = active
        } else if case let (type, value)? = Self.ending(conditions) ?? Self.end(
            spec, active: active, succeeded: succeeded, failed: failed, startTime: startTime, suspended: suspended, now: now
        ) {
            JobConditions.set(&conditions, type: type == "Complete" ? "SuccessCriteriaMet" : "FailureTarget", status: "True", value, now: now)
            delete = active
            if active.isEmpty && terminating.isEmpty {
                JobConditions.set(&conditions, type: type, status: "True", value, now: now)
                if type == "Complete" { completionTime = .string(Timestamp.format(now)) }
            }
        } else if suspended {
            delete = active
            JobConditions.set(&conditions, type: "Suspended", status: "True", .init(reason: "JobSuspended", message: "Job suspended"), now: now)
        } else {
            if JobConditions.isTrue(conditions, "Suspended") {
                JobConditions.set(&conditions, type: "Suspended", status: "False", .init(reason: "JobResumed", message: "Job resumed"), now: now)
                startTime = nil
            }
            if startTime == nil { startTime = .string(Timestamp.format(now)) }
            let wanted: Int
            if let completions {
                wanted = max(0, min(parallelism, completions - succeeded))
            } else {
                // A work queue: once one pod succeeded, no new ones start.
                wanted = succeeded > 0 ? active.count : parallelism
            }
            scale(active: active, wanted: wanted, indexed: indexed ? (completions ?? 0, completedIndexes) : nil)
            if !create.isEmpty, let wait = Self.backoffRemaining(succeeded: succeededPods, failed: failedPods, backoff: backoff, now: now) {
                create = []
                recheck = wait
            }
            if let deadline = spec["activeDeadlineSeconds"]?.intValue, let start = startTime?.stringValue.flatMap(Timestamp.parse) {
                let left = start.addingTimeInterval(TimeInterval(deadline)).timeIntervalSince(now)
                recheck = [recheck, .milliseconds(Int64(max(0, left) * 1000) + 10)].compactMap { $0 }.min()
            }
        }

        var status = previous
        status["conditions"] = conditions.isEmpty ? nil : .array(conditions)
        status["startTime"] = startTime
        status["completionTime"] = completionTime
        status["active"] = active.isEmpty ? nil : .int(Int64(active.count))
        status["ready"] = .int(Int64(active.filter(PodState.isReady).count))
        status["terminating"] = .int(Int64(terminating.count))
        status["succeeded"] = succeeded == 0 ? nil : .int(Int64(succeeded))
        status["failed"] = failed == 0 ? nil : .int(Int64(failed))
        if indexed { status["completedIndexes"] = completedIndexes.isEmpty ? nil : .string(JobPods.formatIndexes(completedIndexes)) }
        self.status = status
    }

    /// The terminal condition an interim one already announces, with its reason.
    private static func ending(_ conditions: [JSONValue]) -> (String, JobConditions.Value)? {
        if let value = JobConditions.value(conditions, "FailureTarget") { return ("Failed", value) }
        if let value = JobConditions.value(conditions, "SuccessCriteriaMet") { return ("Complete", value) }
        return nil
    }

    /// Whether the Job ends now, and how: failures first, as Kubernetes checks them.
    private static func end(
        _ spec: JSONValue, active: [JSONValue], succeeded: Int, failed: Int, startTime: JSONValue?, suspended: Bool, now: Date
    ) -> (String, JobConditions.Value)? {
        let backoffLimit = Int(spec["backoffLimit"]?.intValue ?? 6)
        var exceeded = failed > backoffLimit
        if spec[path: ["template", "spec", "restartPolicy"]]?.stringValue == "OnFailure" {
            let restarts = active.reduce(0) { $0 + JobPods.restarts($1) }
            exceeded = exceeded || (backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit)
        }
        if exceeded { return ("Failed", JobConditions.backoffLimitExceeded) }
        if !suspended, let deadline = spec["activeDeadlineSeconds"]?.intValue, let start = startTime?.stringValue.flatMap(Timestamp.parse),
            now.timeIntervalSince(start) >= TimeInterval(deadline)
        {
            return ("Failed", JobConditions.deadlineExceeded)
        }
        let done = spec["completions"]?.intValue.map { succeeded >= Int($0) } ?? (succeeded > 0 && active.isEmpty)
        return done ? ("Complete", JobConditions.completionsReached) : nil
    }

    /// Creations or deletions that bring the active pods to `wanted`. For an Indexed Job,
    /// pods of completed or duplicate indexes go, and missing indexes start lowest first.
    private mutating func scale(active: [JSONValue], wanted: Int, indexed: (completions: Int, completed: Set<Int>)?) {
        var keep = active
        if let indexed {
            var seen = Set<Int>()
            keep = []
            for pod in active.sorted(by: PodOrder.olderFirst) {
                if let index = JobPods.index(of: pod, completions: indexed.completions), !indexed.completed.contains(index), seen.insert(index).inserted {
                    keep.append(pod)
                } else {
                    delete.append(pod)
                }
            }
            let missing = (0..<indexed.completions).filter { !indexed.completed.contains($0) && !seen.contains($0) }
            create = missing.prefix(max(0, wanted - keep.count)).map { $0 }
        } else if keep.count < wanted {
            create = Array(repeating: nil, count: wanted - keep.count)
        }
        if keep.count > wanted {
            delete += PodRanking.deletionOrder(keep).prefix(keep.count - wanted)
        }
    }

    /// How long new pods still wait after the failures since the last success: `backoff`
    /// doubled per further failure, from the last one's end; nil when they need not wait.
    static func backoffRemaining(succeeded: [JSONValue], failed: [JSONValue], backoff: Duration, now: Date) -> Duration? {
        let lastSuccess = succeeded.map(JobPods.finishTime).max() ?? .distantPast
        let failures = failed.map(JobPods.finishTime).filter { $0 > lastSuccess }
        guard let last = failures.max() else { return nil }
        let delay = min(backoff * (1 << min(failures.count - 1, 20)), maxBackoff)
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let left = last.addingTimeInterval(seconds).timeIntervalSince(now)
        return left > 0 ? .milliseconds(Int64(left * 1000) + 10) : nil
    }
}
