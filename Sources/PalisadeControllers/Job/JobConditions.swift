import Foundation
import PalisadeAPI

/// A Job's `status.conditions`, as Kubernetes 1.32 writes them. A Job that ends first gets
/// an interim condition (`SuccessCriteriaMet` or `FailureTarget`) while its remaining pods
/// are deleted, then the terminal one (`Complete` or `Failed`) with the same reason once
/// none is left: `kubectl wait --for=condition=complete` waits for the latter.
enum JobConditions {
    struct Value: Equatable {
        let reason: String
        let message: String
    }

    static let completionsReached = Value(reason: "CompletionsReached", message: "Reached expected number of succeeded pods")
    static let backoffLimitExceeded = Value(reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit")
    static let deadlineExceeded = Value(reason: "DeadlineExceeded", message: "Job was active longer than specified deadline")

    static func isTrue(_ conditions: [JSONValue], _ type: String) -> Bool {
        conditions.contains { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" }
    }

    /// The reason and message of a True condition of `type`.
    static func value(_ conditions: [JSONValue], _ type: String) -> Value? {
        guard let condition = conditions.first(where: { $0["type"]?.stringValue == type && $0["status"]?.stringValue == "True" }) else { return nil }
        return Value(reason: condition["reason"]?.stringValue ?? "", message: condition["message"]?.stringValue ?? "")
    }

    /// Sets a condition; one already there with the same status, reason and message is
    /// left as it is, and the transition time only changes with the status.
    static func set(_ conditions: inout [JSONValue], type: String, status: String, _ value: Value, now: Date) {
        let existing = conditions.firstIndex { $0["type"]?.stringValue == type }
        if let existing, conditions[existing]["status"]?.stringValue == status,
            conditions[existing]["reason"]?.stringValue == value.reason, conditions[existing]["message"]?.stringValue == value.message
        {
            return
        }
        let stamp = JSONValue.string(Timestamp.format(now))
        let transition = existing.flatMap { conditions[$0]["status"]?.stringValue == status ? conditions[$0]["lastTransitionTime"] : nil } ?? stamp
        let condition: JSONValue = [
            "type": .string(type), "status": .string(status), "reason": .string(value.reason), "message": .string(value.message),
            "lastProbeTime": stamp, "lastTransitionTime": transition,
        ]
        if let existing { conditions[existing] = condition } else { conditions.append(condition) }
    }
}
