import Foundation
import Logging
import PalisadeAPI
import Synchronization

/// Tells users why a pod waits: a `FailedScheduling` Warning Event on the pod (one per
/// distinct message; a repeat bumps its count) and the pod's `PodScheduled=False`
/// condition with reason `Unschedulable`, as Kubernetes' scheduler reports them.
final class SchedulingFailures: Sendable {
    static let component = "default-scheduler"

    private struct Recorded {
        let event: String
        let message: String
        var count: Int64
    }

    let client: APIClient
    let logger: Logger
    private let recorded = Mutex<[String: Recorded]>([:])

    init(client: APIClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func record(_ pod: JSONValue, message: String, now: Date = Date()) async {
        let key = Informer.key(pod)
        let namespace = pod.namespace ?? ""
        let previous = recorded.withLock { $0[key] }
        let stamp = JSONValue.string(Timestamp.format(now))
        let events = "/api/v1/namespaces/\(namespace)/events"
        do {
            if let previous, previous.message == message {
                let count = previous.count + 1
                try await client.patch("\(events)/\(previous.event)", ["count": .int(count), "lastTimestamp": stamp])
                recorded.withLock { $0[key]?.count = count }
                return
            }
            let name = try await EventRecorder(client: client, component: Self.component).record(
                pod, kind: "Pod", reason: "FailedScheduling", message: message, type: "Warning", now: now
            )
            recorded.withLock { $0[key] = Recorded(event: name, message: message, count: 1) }
            let condition: JSONValue = [
                "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(message),
                "lastTransitionTime": stamp, "lastProbeTime": .null,
            ]
            try await client.patch("/api/v1/namespaces/\(namespace)/pods/\(pod.name ?? "")/status", ["status": ["conditions": [condition]]])
        } catch {
            logger.warning("cannot report a scheduling failure", metadata: ["pod": "\(key)", "error": "\(error)"])
        }
    }

    /// Forgets a pod that was placed or deleted.
    func forget(_ podKey: String) {
        recorded.withLock { _ = $0.removeValue(forKey: podKey) }
    }
}
