import Foundation
import PalisadeAPI

/// When a pod must leave a node with NoExecute taints, as Kubernetes' taint manager
/// decides: at once when some such taint is not tolerated; otherwise when the shortest
/// `tolerationSeconds` of the matching tolerations has passed since the taint was added;
/// never when every matching toleration is unbounded.
enum NoExecuteEviction {
    /// The moment the pod must be evicted (perhaps already past), or nil to let it stay.
    static func deadline(for pod: JSONValue, taints: [JSONValue], now: Date) -> Date? {
        let tolerations = (pod[path: ["spec", "tolerations"]]?.arrayValue ?? []).map(Toleration.init)
        var deadline: Date?
        for json in taints where json["effect"]?.stringValue == "NoExecute" {
            let taint = Taint(json)
            let added = json["timeAdded"]?.stringValue.flatMap(Timestamp.parse) ?? now
            let matching = tolerations.filter { $0.tolerates(taint) }
            if matching.isEmpty { return added }
            guard let seconds = matching.compactMap(\.tolerationSeconds).min() else { continue }
            let due = added.addingTimeInterval(TimeInterval(max(seconds, 0)))
            deadline = min(deadline ?? due, due)
        }
        return deadline
    }
}
