import Foundation
import PalisadeAPI

/// The pods a DaemonSet makes and which node each is for. As in Kubernetes, a daemon pod
/// is not bound by the controller: it carries a required node affinity on
/// `metadata.name` of its node, and the scheduler binds it (so resources, host ports and
/// the scheduler's own checks still apply). Daemon pods tolerate the node conditions a
/// system agent must run through.
enum DaemonPodTemplate {
    /// The label carrying the template hash a pod was made from (a rolling update replaces
    /// pods without the current one).
    static let revisionLabel = "controller-revision-hash"
    /// The DaemonSet's generation a pod was made at (kept by Kubernetes for older clients).
    static let generationLabel = "pod-template-generation"

    /// Kubernetes' automatic tolerations of daemon pods: not-ready and unreachable for ever
    /// (no `tolerationSeconds`: they are never evicted for them), pressure and cordons for
    /// scheduling; and with the host's network, a node whose network is not set up yet.
    static func defaultTolerations(hostNetwork: Bool) -> [JSONValue] {
        var tolerations: [JSONValue] = [
            toleration("node.kubernetes.io/not-ready", "NoExecute"),
            toleration("node.kubernetes.io/unreachable", "NoExecute"),
            toleration("node.kubernetes.io/disk-pressure", "NoSchedule"),
            toleration("node.kubernetes.io/memory-pressure", "NoSchedule"),
            toleration("node.kubernetes.io/pid-pressure", "NoSchedule"),
            toleration("node.kubernetes.io/unschedulable", "NoSchedule"),
        ]
        if hostNetwork { tolerations.append(toleration("node.kubernetes.io/network-unavailable", "NoSchedule")) }
        return tolerations
    }

    private static func toleration(_ key: String, _ effect: String) -> JSONValue {
        ["key": .string(key), "operator": "Exists", "effect": .string(effect)]
    }

    /// The template's pod spec with the automatic tolerations: one the template already has
    /// with the same key, operator and effect is replaced (as Kubernetes' AddOrUpdate does).
    static func specWithTolerations(_ daemonSet: JSONValue) -> JSONValue {
        var spec = daemonSet[path: ["spec", "template", "spec"]] ?? .emptyObject
        let defaults = defaultTolerations(hostNetwork: spec["hostNetwork"]?.boolValue ?? false)
        let same = { (a: JSONValue, b: JSONValue) in
            ["key", "operator", "effect"].allSatisfy { (a[$0]?.stringValue ?? "") == (b[$0]?.stringValue ?? "") }
        }
        let kept = (spec["tolerations"]?.arrayValue ?? []).filter { existing in !defaults.contains { same(existing, $0) } }
        spec["tolerations"] = .array(kept + defaults)
        return spec
    }

    /// The template's hash, the value of ``revisionLabel`` on up-to-date pods.
    static func hash(of daemonSet: JSONValue) -> String {
        RolloutMath.templateHash(daemonSet[path: ["spec", "template"]] ?? .emptyObject, collisionCount: daemonSet[path: ["status", "collisionCount"]]?.intValue)
    }

    /// A new pod for `node`: the template with the revision labels, the automatic
    /// tolerations, a required affinity to that node alone (replacing the template's own
    /// required terms, which the controller has already checked; preferences are kept),
    /// and the DaemonSet as controller.
    static func pod(for daemonSet: JSONValue, node: String, hash: String) -> JSONValue {
        let template = daemonSet[path: ["spec", "template"]] ?? .emptyObject
        var metadata = template["metadata"]?.objectValue ?? [:]
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels[revisionLabel] = .string(hash)
        labels[generationLabel] = .string(String(daemonSet[path: ["metadata", "generation"]]?.intValue ?? 1))
        metadata["labels"] = .object(labels)
        metadata["generateName"] = .string("\(daemonSet.name ?? "")-")
        metadata["namespace"] = .string(daemonSet.namespace ?? "")
        metadata["ownerReferences"] = [OwnerReference.make(to: daemonSet, kind: "DaemonSet", apiVersion: "apps/v1")]
        metadata["name"] = nil
        var spec = specWithTolerations(daemonSet)
        spec[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]] = [
            "nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(node)]]]]],
        ]
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": spec]
    }

    /// The node a daemon pod is for: the one it is bound to, or before binding the one its
    /// required affinity names (Kubernetes' GetTargetNodeName).
    static func targetNode(of pod: JSONValue) -> String? {
        if let bound = pod[path: ["spec", "nodeName"]]?.stringValue, !bound.isEmpty { return bound }
        let terms = pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?.arrayValue ?? []
        for term in terms {
            for field in term["matchFields"]?.arrayValue ?? []
            where field["key"]?.stringValue == "metadata.name" && field["operator"]?.stringValue == "In" {
                if let values = field["values"]?.arrayValue, values.count == 1, let node = values[0].stringValue { return node }
            }
        }
        return nil
    }

    static func isUpdated(_ pod: JSONValue, hash: String) -> Bool {
        pod.labels[revisionLabel] == hash
    }
}
