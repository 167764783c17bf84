import Foundation
import PalisadeAPI

/// Kubernetes' claiming of pods by a controller (its `ControllerRefManager`): owned pods its
/// selector still matches are kept, owned ones it no longer matches released; orphans it
/// matches are adopted unless either side is being deleted or the pod has finished. Each
/// change is a merge patch conditional on the pod's version, so a race fails and is retried.
enum PodClaims {
    /// The owner's pods after adopting and releasing.
    /// - Parameter isMember: pods the owner could own at all (a StatefulSet only takes pods
    ///   named after it); others are left alone whatever their labels.
    static func claim(
        _ pods: [JSONValue], for owner: JSONValue, kind: String, apiVersion: String, selector: LabelSelector, client: APIClient,
        isMember: (JSONValue) -> Bool = { _ in true }
    ) async throws -> [JSONValue] {
        var owned: [JSONValue] = []
        for pod in pods where isMember(pod) {
            let controller = OwnerReference.controller(of: pod)
            let matches = selector.matches(pod.labels)
            if controller?["uid"]?.stringValue == owner.uid {
                if matches || PodState.isTerminal(pod) {
                    owned.append(pod)
                } else if pod.deletionTimestamp == nil {
                    try await client.patch(ReplicaSetController.podPath(pod), OwnerReference.claimPatch(pod, setting: nil))
                }
            } else if controller == nil && matches && pod.deletionTimestamp == nil && owner.deletionTimestamp == nil && !PodState.isTerminal(pod) {
                let reference = OwnerReference.make(to: owner, kind: kind, apiVersion: apiVersion)
                owned.append(try await client.patch(ReplicaSetController.podPath(pod), OwnerReference.claimPatch(pod, setting: reference)))
            }
        }
        return owned
    }
}
