import Foundation
import PalisadeAPI

/// Which pods a controller scaling down deletes first, as Kubernetes ranks them: not yet
/// on a node, then pending before unknown before running, not ready before ready, ready
/// for less time, more container restarts, and newer before older.
enum PodRanking {
    static func deletionOrder(_ pods: [JSONValue]) -> [JSONValue] {
        pods.map { (rank($0), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }

    /// Smaller sorts first (is deleted first).
    private static func rank(_ pod: JSONValue) -> [Double] {
        let assigned = !(pod[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty
        let phase: Double = switch pod[path: ["status", "phase"]]?.stringValue {
        case "Pending": 0
        case "Running": 2
        default: 1
        }
        let readySince = PodState.readySince(pod)
        let restarts = (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
        let created = pod[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.parse) ?? .distantPast
        return [
            assigned ? 1 : 0, phase, readySince == nil ? 0 : 1,
            -(readySince?.timeIntervalSince1970 ?? 0), -Double(restarts), -created.timeIntervalSince1970,
        ]
    }
}
