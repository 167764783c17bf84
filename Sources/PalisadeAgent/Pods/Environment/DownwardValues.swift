import Foundation
import PalisadeAPI

/// The values `fieldRef` and `resourceFieldRef` expose to a container (the downward API).
enum DownwardValues {
    /// A pod field by its `fieldPath`, or nil when the path is not one the downward API offers
    /// to environment variables.
    static func podField(_ fieldPath: String, of pod: JSONValue, facts: ContainerEnvironment.PodFacts) -> String? {
        let metadata = pod["metadata"] ?? .emptyObject
        switch fieldPath {
        case "metadata.name": return metadata["name"]?.stringValue ?? ""
        case "metadata.namespace": return pod.podNamespace
        case "metadata.uid": return metadata["uid"]?.stringValue ?? ""
        case "spec.nodeName": return pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
        case "spec.serviceAccountName": return pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? ""
        case "status.podIP": return facts.podIPs.first ?? ""
        case "status.podIPs": return facts.podIPs.joined(separator: ",")
        case "status.hostIP": return facts.hostIPs.first ?? ""
        case "status.hostIPs": return facts.hostIPs.joined(separator: ",")
        default:
            for map in ["labels", "annotations"] {
                if let key = subscriptKey(fieldPath, prefix: "metadata.\(map)") {
                    return metadata[path: [map, key]]?.stringValue ?? ""
                }
            }
            return nil
        }
    }

    /// `key` from `prefix['key']`.
    private static func subscriptKey(_ fieldPath: String, prefix: String) -> String? {
        guard fieldPath.hasPrefix(prefix + "['"), fieldPath.hasSuffix("']") else { return nil }
        let key = fieldPath.dropFirst(prefix.count + 2).dropLast(2)
        return key.isEmpty ? nil : String(key)
    }

    /// A container's limit or request (`limits.cpu`, `requests.memory`, …) divided by
    /// `divisor` and rounded up, as the kubelet prints it. A limit the container does not set
    /// is the node's allocatable amount; an unset request is zero. Nil for an unknown resource.
    static func resourceField(_ resource: String, divisor: Quantity, container: JSONValue, nodeAllocatable: JSONValue?) -> String? {
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "limits" || parts[0] == "requests" else { return nil }
        let name = parts[1]
        guard ["cpu", "memory", "ephemeral-storage"].contains(name) || name.hasPrefix("hugepages-") else { return nil }
        var amount = Quantity.list(container[path: ["resources", parts[0]]])[name]
        if amount == nil, parts[0] == "limits" { amount = Quantity.list(nodeAllocatable)[name] }
        let value = amount?.value ?? 0
        // CPU is divided in millicores, everything else in whole units, each side rounded up first.
        let scale: Decimal = name == "cpu" ? 1000 : 1
        return String(integer(ceiling(ceiling(value * scale) / ceiling(divisor.value * scale))))
    }

    private static func ceiling(_ value: Decimal) -> Decimal {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .up)
        return rounded
    }

    private static func integer(_ value: Decimal) -> Int64 {
        NSDecimalNumber(decimal: value).int64Value
    }
}
