import Foundation
import PalisadeAPI

/// `persistentVolumeClaimRetentionPolicy` as owner references on the claims, as Kubernetes
/// expresses it: `whenDeleted: Delete` makes the set an owner of the claims of its ordinals
/// (so they go with the set), `whenScaled: Delete` makes a scaled-away pod the owner of its
/// claims just before it is deleted (so they go with the pod); `Retain` removes those
/// references again. The garbage collector then deletes a claim once its owners are gone.
enum StatefulClaims {
    struct Policy: Equatable, Sendable {
        var deleteWhenDeleted = false
        var deleteWhenScaled = false
    }

    static func policy(of set: JSONValue) -> Policy {
        let policy = set[path: ["spec", "persistentVolumeClaimRetentionPolicy"]]
        return Policy(
            deleteWhenDeleted: policy?["whenDeleted"]?.stringValue == "Delete",
            deleteWhenScaled: policy?["whenScaled"]?.stringValue == "Delete"
        )
    }

    /// The ordinal of a claim the set names `<template>-<set>-<ordinal>`, nil for other claims.
    static func ordinal(of claim: JSONValue, in set: JSONValue) -> Int? {
        let name = claim.name ?? ""
        for template in StatefulPodIdentity.claimTemplateNames(of: set) {
            if let ordinal = StatefulPodIdentity.ordinal(in: name, prefix: "\(template)-\(set.name ?? "")-") { return ordinal }
        }
        return nil
    }

    /// A plain (not controller) reference: the claim is the set's or pod's to delete, not to manage.
    static func reference(to owner: JSONValue, kind: String, apiVersion: String) -> JSONValue {
        var reference = OwnerReference.make(to: owner, kind: kind, apiVersion: apiVersion)
        reference["controller"] = nil
        reference["blockOwnerDeletion"] = nil
        return reference
    }

    /// The claim's owner references as the policy wants them, other owners' kept as they are.
    /// - Parameters:
    ///   - pod: the pod of the claim's ordinal, if there is one.
    ///   - inRange: whether that ordinal is among the set's wanted ordinals (else it is scaled away).
    static func ownerReferences(of claim: JSONValue, set: JSONValue, pod: JSONValue?, inRange: Bool, policy: Policy) -> [JSONValue] {
        let existing = claim[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
        let podName = pod?.name ?? StatefulPodIdentity.podName(set, ordinal: ordinal(of: claim, in: set) ?? -1)
        var references = existing.filter { reference in
            reference["uid"]?.stringValue != set.uid && !(reference["kind"]?.stringValue == "Pod" && reference["name"]?.stringValue == podName)
        }
        let ownedBySet = policy.deleteWhenDeleted && (inRange || !policy.deleteWhenScaled)
        let ownedByPod = policy.deleteWhenScaled && !inRange
        if ownedBySet { references.append(existing.first { $0["uid"]?.stringValue == set.uid } ?? reference(to: set, kind: "StatefulSet", apiVersion: "apps/v1")) }
        if ownedByPod {
            // A pod reference is only added while the pod exists; one already there stays (the
            // pod may be gone, leaving the claim to be collected).
            if let pod { references.append(reference(to: pod, kind: "Pod", apiVersion: "v1")) } else {
                references += existing.filter { $0["kind"]?.stringValue == "Pod" && $0["name"]?.stringValue == podName }
            }
        }
        return references
    }
}
