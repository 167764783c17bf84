import Foundation
import Logging
import PalisadeAPI

/// One pass's pod deletions and creations for an owner, as the pod-owning controllers make
/// them: the owner's expectations are told what to wait for first; deletions go one by one,
/// then creations in ``SlowStart`` batches; at the first failure the pass stops and what
/// will never be observed is given back to the expectations, so the owner is not stalled.
struct PodChanges {
    var delete: [JSONValue] = []
    /// Keys of the pods to delete at once (grace period 0: no node will confirm they stopped).
    var deleteNow: Set<String> = []
    var create: [JSONValue] = []

    func carryOut(for key: String, namespace: String, expectations: Expectations, client: APIClient, logger: Logger) async throws {
        guard !delete.isEmpty || !create.isEmpty else { return }
        expectations.expect(key, creations: create.count, deletions: Set(delete.map(Informer.key)))
        for (index, pod) in delete.enumerated() {
            do {
                let options: JSONValue? = deleteNow.contains(Informer.key(pod)) ? ["gracePeriodSeconds": 0] : nil
                try await client.delete(ReplicaSetController.podPath(pod), options: options)
            } catch {
                for undone in delete[index...] { expectations.deletionObserved(key, Informer.key(undone)) }
                for _ in create { expectations.creationFailed(key) }
                throw error
            }
        }
        let collection = "/api/v1/namespaces/\(namespace)/pods"
        let pods = create
        let (skipped, failures) = await SlowStart.run(pods.count) { [client] index in try await client.create(collection, pods[index]) }
        guard let failure = failures.first else { return }
        for _ in 0..<(skipped + failures.count) { expectations.creationFailed(key) }
        logger.warning("creating pods failed", metadata: ["owner": "\(key)", "error": "\(failure)"])
        throw failure
    }
}
