import Foundation
import PalisadeAPI

/// The stable identity a StatefulSet gives each of its pods: the name `<set>-<ordinal>`,
/// the identity labels, the DNS hostname and subdomain, the revision label, and the claims
/// `<template>-<set>-<ordinal>` from `volumeClaimTemplates` that follow the ordinal across
/// pod replacements.
enum StatefulPodIdentity {
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    static let podIndexLabel = "apps.kubernetes.io/pod-index"
    static let revisionLabel = "controller-revision-hash"

    /// `spec.ordinals.start`: the first ordinal (0 unless set).
    static func start(of set: JSONValue) -> Int {
        Int(set[path: ["spec", "ordinals", "start"]]?.intValue ?? 0)
    }

    static func replicas(of set: JSONValue) -> Int {
        Int(set[path: ["spec", "replicas"]]?.intValue ?? 1)
    }

    /// The ordinals the set should have pods for.
    static func ordinals(of set: JSONValue) -> Range<Int> {
        let start = start(of: set)
        return start..<(start + max(0, replicas(of: set)))
    }

    static func podName(_ set: JSONValue, ordinal: Int) -> String {
        "\(set.name ?? "")-\(ordinal)"
    }

    static func claimName(template: String, set: JSONValue, ordinal: Int) -> String {
        "\(template)-\(set.name ?? "")-\(ordinal)"
    }

    /// The ordinal of a pod named `<set>-<ordinal>` (written canonically), or nil when the
    /// name is not one the set gives: such a pod is no member and is never claimed, so two
    /// pods can never stand for the same ordinal (`web-1` and `web-01`).
    static func ordinal(of pod: JSONValue, in set: JSONValue) -> Int? {
        ordinal(in: pod.name ?? "", prefix: "\(set.name ?? "")-")
    }

    /// The ordinal after `prefix` in `name`, when the rest is a canonical non-negative integer.
    static func ordinal(in name: String, prefix: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let ordinal = Int(digits), String(ordinal) == digits else { return nil }
        return ordinal
    }

    /// `<set>-<hash of the template>`: the revision pods built from the current template carry.
    /// Palisade keeps no ControllerRevisions, so the name is all there is of a revision.
    static func updateRevision(of set: JSONValue) -> String {
        let template = set[path: ["spec", "template"]] ?? .emptyObject
        // Always with a count (0 before any collision), as Kubernetes hashes it: the value
        // written to status must not change the hash.
        let hash = RolloutMath.templateHash(template, collisionCount: set[path: ["status", "collisionCount"]]?.intValue ?? 0)
        return "\(set.name ?? "")-\(hash)"
    }

    static func revision(of pod: JSONValue) -> String? {
        pod.labels[revisionLabel]
    }

    /// The labels that make a pod the set's pod at `ordinal`.
    static func identityLabels(_ set: JSONValue, ordinal: Int) -> [String: String] {
        [podNameLabel: podName(set, ordinal: ordinal), podIndexLabel: String(ordinal)]
    }

    /// A new pod for `ordinal` from the set's template at `revision`: its name, identity and
    /// revision labels, hostname and subdomain, its claims as volumes, and the set as controller.
    static func pod(for set: JSONValue, ordinal: Int, revision: String) -> JSONValue {
        let template = set[path: ["spec", "template"]] ?? .emptyObject
        var metadata = template["metadata"]?.objectValue ?? [:]
        var labels = metadata["labels"]?.objectValue ?? [:]
        for (key, value) in identityLabels(set, ordinal: ordinal) { labels[key] = .string(value) }
        labels[revisionLabel] = .string(revision)
        metadata["labels"] = .object(labels)
        metadata["name"] = .string(podName(set, ordinal: ordinal))
        metadata["generateName"] = nil
        metadata["namespace"] = .string(set.namespace ?? "")
        metadata["ownerReferences"] = [OwnerReference.make(to: set, kind: "StatefulSet", apiVersion: "apps/v1")]
        var spec = template["spec"] ?? .emptyObject
        spec["hostname"] = .string(podName(set, ordinal: ordinal))
        if let service = set[path: ["spec", "serviceName"]]?.stringValue, !service.isEmpty { spec["subdomain"] = .string(service) }
        spec["volumes"] = .array(volumes(spec["volumes"]?.arrayValue ?? [], set: set, ordinal: ordinal))
        if spec["volumes"]?.arrayValue?.isEmpty == true { spec["volumes"] = nil }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": spec]
    }

    /// The template's volumes with one `persistentVolumeClaim` volume per claim template,
    /// replacing a template volume of the same name (the claim is the pod's storage).
    static func volumes(_ volumes: [JSONValue], set: JSONValue, ordinal: Int) -> [JSONValue] {
        let claimTemplates = claimTemplateNames(of: set)
        var result = volumes.filter { !claimTemplates.contains($0["name"]?.stringValue ?? "") }
        for template in claimTemplates {
            result.append([
                "name": .string(template),
                "persistentVolumeClaim": ["claimName": .string(claimName(template: template, set: set, ordinal: ordinal))],
            ])
        }
        return result
    }

    static func claimTemplateNames(of set: JSONValue) -> [String] {
        (set[path: ["spec", "volumeClaimTemplates"]]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    /// The claims of `ordinal`, as they are created: each template under its ordinal's
    /// name, labelled with the template's labels and the set's `matchLabels`.
    static func claims(for set: JSONValue, ordinal: Int) -> [JSONValue] {
        let matchLabels = set[path: ["spec", "selector", "matchLabels"]]?.objectValue ?? [:]
        return (set[path: ["spec", "volumeClaimTemplates"]]?.arrayValue ?? []).compactMap { template -> JSONValue? in
            guard let name = template[path: ["metadata", "name"]]?.stringValue else { return nil }
            var metadata = template["metadata"]?.objectValue ?? [:]
            metadata["name"] = .string(claimName(template: name, set: set, ordinal: ordinal))
            metadata["namespace"] = .string(set.namespace ?? "")
            metadata["labels"] = .object((metadata["labels"]?.objectValue ?? [:]).merging(matchLabels) { _, selector in selector })
            for field in ["uid", "resourceVersion", "creationTimestamp", "generation", "ownerReferences", "managedFields"] { metadata[field] = nil }
            return ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": .object(metadata), "spec": template["spec"] ?? .emptyObject]
        }
    }

    /// The merge patch restoring a member pod's identity labels when they were changed or
    /// removed, nil when they are right.
    static func identityPatch(_ pod: JSONValue, set: JSONValue, ordinal: Int) -> JSONValue? {
        let wanted = identityLabels(set, ordinal: ordinal)
        guard wanted.contains(where: { pod.labels[$0.key] != $0.value }) else { return nil }
        return ["metadata": ["labels": .object(wanted.mapValues(JSONValue.string)), "resourceVersion": .string(pod.resourceVersion ?? "")]]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
