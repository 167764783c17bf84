import Foundation
import PalisadeAPI

/// Which owners of one kind a pod change concerns, for the controllers that own pods: the
/// pod's controller before and after the change, or, for an orphan, each owner of its
/// namespace that would adopt it. The change is counted against the controller's
/// expectations (a creation or deletion it may be waiting to see).
enum PodOwners {
    static func concerned(
        by change: Informer.Change, kind: String, owners: Informer, expectations: Expectations,
        adopts: (_ owner: JSONValue, _ pod: JSONValue) -> Bool = PodOwners.selects
    ) -> [String] {
        let pod = change.object
        var keys: [String] = []
        for version in [change.old, pod].compactMap({ $0 }) {
            if let owner = OwnerReference.controllerKey(of: version, kind: kind), !keys.contains(owner) { keys.append(owner) }
        }
        if let owner = OwnerReference.controllerKey(of: pod, kind: kind) {
            switch change.kind {
            case .added: expectations.creationObserved(owner)
            case .deleted: expectations.deletionObserved(owner, Informer.key(pod))
            case .modified: if pod.deletionTimestamp != nil { expectations.deletionObserved(owner, Informer.key(pod)) }
            }
        }
        if keys.isEmpty && change.kind != .deleted {
            keys = owners.objects(in: pod.namespace ?? "").filter { adopts($0, pod) }.map(Informer.key)
        }
        return keys
    }

    /// The owner's selector matches the pod.
    static func selects(_ owner: JSONValue, _ pod: JSONValue) -> Bool {
        ReplicaSetController.selector(of: owner)?.matches(pod.labels) == true
    }
}
