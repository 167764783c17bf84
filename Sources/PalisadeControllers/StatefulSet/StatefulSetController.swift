import Foundation
import Logging
import PalisadeAPI

/// Runs StatefulSets as Kubernetes does: one pod per ordinal, named `<set>-<ordinal>` with a
/// stable hostname and its own claims from `volumeClaimTemplates` (created before the pod,
/// kept or deleted by the retention policy), created in order and each waiting for the one
/// before under `OrderedReady` (all at once under `Parallel`), scaled down from the highest
/// ordinal, recreated under the same name when finished, and updated by `RollingUpdate`
/// from the highest ordinal down to `partition` (by hand under `OnDelete`). Orphans named
/// and labelled as the set's pods are adopted; `status` carries the revisions and counts
/// `kubectl rollout status` reads. Driven by StatefulSet and Pod watches; claims are read
/// from their informer.
///
/// Palisade does not serve ControllerRevisions: a revision is `<set>-<template hash>`, and a
/// pod below the partition that must be recreated gets the current template (Kubernetes
/// would rebuild it from the older revision's).
public final class StatefulSetController: Sendable {
    public static let name = "statefulset-controller"

    /// A claim of the ordinal about to be created is still being deleted: the pod would
    /// mount the old one, so its creation waits (retried with backoff).
    struct ClaimTerminating: Error, CustomStringConvertible {
        let claim: String
        var description: String { "claim \(claim) is being deleted" }
    }

    let client: APIClient
    let logger: Logger
    let statefulSets: Informer
    let pods: Informer
    let claims: Informer
    let expectations = Expectations()

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        statefulSets = informers.informer("/apis/apps/v1/statefulsets")
        pods = informers.informer("/api/v1/pods")
        claims = informers.informer("/api/v1/persistentvolumeclaims")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [statefulSets, pods, claims],
            triggers: [
                .init(statefulSets) { [Informer.key($0.object)] },
                .init(pods) { [self] in self.owners(of: $0) },
            ],
            workers: 5, logger: logger
        )
        await loop.run { [self] key in
            if let recheck = try await self.sync(key) { loop.queue.add(key, after: recheck) }
        }
    }

    /// The StatefulSets a pod change concerns (``PodOwners``); a set adopts only pods named
    /// after it.
    func owners(of change: Informer.Change) -> [String] {
        PodOwners.concerned(by: change, kind: "StatefulSet", owners: statefulSets, expectations: expectations) { set, pod in
            StatefulPodIdentity.ordinal(of: pod, in: set) != nil && PodOwners.selects(set, pod)
        }
    }

    /// One pass for one StatefulSet. Returns when to look again (a pod becoming available).
    func sync(_ key: String, now: Date = Date()) async throws -> Duration? {
        guard let set = statefulSets.object(key) else {
            expectations.forget(key)
            return nil
        }
        guard let selector = ReplicaSetController.selector(of: set) else { return nil }
        let members = try await PodClaims.claim(
            pods.objects(in: set.namespace ?? ""), for: set, kind: "StatefulSet", apiVersion: "apps/v1", selector: selector, client: client,
            isMember: { StatefulPodIdentity.ordinal(of: $0, in: set) != nil }
        )
        var byOrdinal: [Int: JSONValue] = [:]
        for pod in members { if let ordinal = StatefulPodIdentity.ordinal(of: pod, in: set) { byOrdinal[ordinal] = pod } }
        let settings = StatefulPlan.settings(of: set)
        if set.deletionTimestamp == nil && expectations.satisfied(key) {
            try await reconcileClaims(set, pods: byOrdinal)
            try await restoreIdentities(set, pods: byOrdinal)
            try await carryOut(StatefulPlan.actions(settings, pods: byOrdinal, now: now), set: set, key: key, pods: byOrdinal, revision: settings.updateRevision)
        }
        let status = StatefulSetStatus.compute(set, pods: members, updateRevision: settings.updateRevision, now: now)
        if status != set["status"] {
            var updated = set
            updated["status"] = status
            try await client.update(Self.path(set) + "/status", updated)
        }
        return StatefulSetStatus.nextAvailable(set, pods: members, now: now)
    }

    /// Creates and deletes pods as planned, in order, stopping at the first failure.
    private func carryOut(_ actions: [StatefulPlan.Action], set: JSONValue, key: String, pods: [Int: JSONValue], revision: String) async throws {
        let namespace = set.namespace ?? ""
        var creations = 0
        var deletions: Set<String> = []
        for action in actions {
            switch action {
            case .create: creations += 1
            case .delete(let ordinal): deletions.insert("\(namespace)/\(StatefulPodIdentity.podName(set, ordinal: ordinal))")
            }
        }
        guard !actions.isEmpty else { return }
        expectations.expect(key, creations: creations, deletions: deletions)
        for (index, action) in actions.enumerated() {
            do {
                switch action {
                case .create(let ordinal):
                    try await createClaims(for: set, ordinal: ordinal)
                    do {
                        try await client.create("/api/v1/namespaces/\(namespace)/pods", StatefulPodIdentity.pod(for: set, ordinal: ordinal, revision: revision))
                    } catch let failure as APIFailure where failure.isConflict {
                        // Already there (a pass before this one made it): it will be seen, not counted.
                        expectations.creationFailed(key)
                    }
                case .delete(let ordinal):
                    if let pod = pods[ordinal] { try await client.delete(ReplicaSetController.podPath(pod)) }
                }
            } catch {
                // What was not done will never be observed.
                for undone in actions[index...] {
                    switch undone {
                    case .create: expectations.creationFailed(key)
                    case .delete(let ordinal): expectations.deletionObserved(key, "\(namespace)/\(StatefulPodIdentity.podName(set, ordinal: ordinal))")
                    }
                }
                logger.warning("statefulset pass failed", metadata: ["statefulset": "\(key)", "error": "\(error)"])
                throw error
            }
        }
    }

    /// Creates the claims of `ordinal` that do not exist yet, owned as the retention policy says.
    private func createClaims(for set: JSONValue, ordinal: Int) async throws {
        let namespace = set.namespace ?? ""
        let policy = StatefulClaims.policy(of: set)
        for var claim in StatefulPodIdentity.claims(for: set, ordinal: ordinal) {
            if let existing = claims.object("\(namespace)/\(claim.name ?? "")") {
                if existing.deletionTimestamp != nil { throw ClaimTerminating(claim: claim.name ?? "") }
                continue
            }
            let references = StatefulClaims.ownerReferences(of: claim, set: set, pod: nil, inRange: true, policy: policy)
            if !references.isEmpty { claim[path: ["metadata", "ownerReferences"]] = .array(references) }
            do {
                try await client.create("/api/v1/namespaces/\(namespace)/persistentvolumeclaims", claim)
            } catch let failure as APIFailure where failure.isConflict {
                continue // made by an earlier pass, not in the informer yet
            }
        }
    }

    /// Brings the owner references of the set's claims in line with the retention policy
    /// before any scaled-away pod is deleted, so its claims go with it (the garbage collector
    /// deletes a claim whose owners are gone).
    private func reconcileClaims(_ set: JSONValue, pods: [Int: JSONValue]) async throws {
        guard !StatefulPodIdentity.claimTemplateNames(of: set).isEmpty else { return }
        let namespace = set.namespace ?? ""
        let policy = StatefulClaims.policy(of: set)
        let ordinals = StatefulPodIdentity.ordinals(of: set)
        for claim in claims.objects(in: namespace) where claim.deletionTimestamp == nil {
            guard let ordinal = StatefulClaims.ordinal(of: claim, in: set) else { continue }
            let path = "/api/v1/namespaces/\(namespace)/persistentvolumeclaims/\(claim.name ?? "")"
            let inRange = ordinals.contains(ordinal)
            // A claim of an ordinal that is neither wanted nor has a pod is left as it is.
            guard inRange || pods[ordinal] != nil else { continue }
            let references = StatefulClaims.ownerReferences(of: claim, set: set, pod: pods[ordinal], inRange: inRange, policy: policy)
            guard references != (claim[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []) else { continue }
            var updated = claim
            updated[path: ["metadata", "ownerReferences"]] = references.isEmpty ? nil : .array(references)
            try await client.update(path, updated)
        }
    }

    /// Puts back the identity labels of member pods that lost them (services and tooling
    /// address a set's pods by them).
    private func restoreIdentities(_ set: JSONValue, pods: [Int: JSONValue]) async throws {
        for (ordinal, pod) in pods where PodState.isActive(pod) {
            if let patch = StatefulPodIdentity.identityPatch(pod, set: set, ordinal: ordinal) {
                try await client.patch(ReplicaSetController.podPath(pod), patch)
            }
        }
    }

    static func path(_ set: JSONValue) -> String {
        "/apis/apps/v1/namespaces/\(set.namespace ?? "")/statefulsets/\(set.name ?? "")"
    }
}
