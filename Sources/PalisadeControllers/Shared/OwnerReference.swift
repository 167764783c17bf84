import Foundation
import PalisadeAPI

/// `metadata.ownerReferences`, as controllers read and write them.
public enum OwnerReference {
    /// The reference naming the object's managing controller (`controller: true`).
    public static func controller(of object: JSONValue) -> JSONValue? {
        (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first { $0["controller"]?.boolValue == true }
    }

    /// The reference a controller puts on what it creates.
    public static func make(to owner: JSONValue, kind: String, apiVersion: String) -> JSONValue {
        [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(owner.name ?? ""),
            "uid": .string(owner.uid ?? ""), "controller": true, "blockOwnerDeletion": true,
        ]
    }

    /// The merge patch that makes `reference` the object's controller (adoption), or with
    /// nil removes its controller (release), conditional on the version read.
    public static func claimPatch(_ object: JSONValue, setting reference: JSONValue?) -> JSONValue {
        var references = (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).filter { $0["controller"]?.boolValue != true }
        if let reference { references.append(reference) }
        return ["metadata": ["ownerReferences": .array(references), "resourceVersion": .string(object.resourceVersion ?? "")]]
    }

    /// The key (`namespace/name`) of the object's controller when it is of `kind`.
    public static func controllerKey(of object: JSONValue, kind: String) -> String? {
        guard let reference = controller(of: object), reference["kind"]?.stringValue == kind,
            let name = reference["name"]?.stringValue
        else { return nil }
        return "\(object.namespace ?? "")/\(name)"
    }
}

/// Pod states the workload controllers count.
public enum PodState {
    public static func isTerminal(_ pod: JSONValue) -> Bool {
        let phase = pod[path: ["status", "phase"]]?.stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    /// Counted as a replica: not finished and not being deleted.
    public static func isActive(_ pod: JSONValue) -> Bool {
        !isTerminal(pod) && pod.deletionTimestamp == nil
    }

    public static func isReady(_ pod: JSONValue) -> Bool {
        readySince(pod) != nil
    }

    /// When the pod's Ready condition last became True; nil when it is not ready.
    public static func readySince(_ pod: JSONValue) -> Date? {
        guard let ready = (pod[path: ["status", "conditions"]]?.arrayValue ?? []).first(where: { $0["type"]?.stringValue == "Ready" }),
            ready["status"]?.stringValue == "True"
        else { return nil }
        return ready["lastTransitionTime"]?.stringValue.flatMap(Timestamp.parse) ?? .distantPast
    }

    /// Ready for at least `minReadySeconds` at `now`.
    public static func isAvailable(_ pod: JSONValue, minReadySeconds: Int64, now: Date) -> Bool {
        guard let since = readySince(pod) else { return false }
        return minReadySeconds == 0 || since.addingTimeInterval(TimeInterval(minReadySeconds)) <= now
    }
}
