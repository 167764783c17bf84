import Foundation
import PalisadeAPI

/// Kubernetes' LimitRanger, without I/O: the namespace's LimitRanges fill in the requests
/// and limits containers leave out (`defaultRequest`, `default`), then every `Container` and
/// `Pod` item is checked (`min`, `max`, `maxLimitRequestRatio`), and every
/// `PersistentVolumeClaim` item bounds a claim's requested storage, with Kubernetes' wording.
public enum LimitRanger {
    /// Sets the defaults of every `Container` item on the containers and init containers that
    /// lack them; returns whether anything changed.
    @discardableResult
    public static func applyDefaults(_ limitRanges: [JSONValue], to pod: inout JSONValue) -> Bool {
        var requests: [String: JSONValue] = [:]
        var limits: [String: JSONValue] = [:]
        for item in items(limitRanges, type: "Container") {
            requests.merge(item["defaultRequest"]?.objectValue ?? [:]) { _, later in later }
            limits.merge(item["default"]?.objectValue ?? [:]) { _, later in later }
        }
        guard !requests.isEmpty || !limits.isEmpty else { return false }
        var changed = false
        for list in ["initContainers", "containers"] {
            guard var containers = pod[path: ["spec", list]]?.arrayValue else { continue }
            for index in containers.indices {
                for (field, defaults) in [("requests", requests), ("limits", limits)] where !defaults.isEmpty {
                    var values = containers[index][path: ["resources", field]]?.objectValue ?? [:]
                    for (resource, value) in defaults where values[resource] == nil {
                        values[resource] = value
                        changed = true
                    }
                    if !values.isEmpty { containers[index][path: ["resources", field]] = .object(values) }
                }
            }
            pod[path: ["spec", list]] = .array(containers)
        }
        return changed
    }

    /// What the pod breaks, one sentence per limit; empty when it fits every LimitRange.
    public static func violations(_ limitRanges: [JSONValue], pod: JSONValue) -> [String] {
        let containers = ["initContainers", "containers"].flatMap { pod[path: ["spec", $0]]?.arrayValue ?? [] }
        var found: [String] = []
        for item in items(limitRanges, type: "Container") {
            for container in containers {
                found += check(item, kind: "Container", usage: PodResources(container: container))
            }
        }
        for item in items(limitRanges, type: "Pod") {
            found += check(item, kind: "Pod", usage: PodResources(pod: pod))
        }
        return found
    }

    /// What a PersistentVolumeClaim breaks: its requests (a claim has no limits) against the
    /// `min` and `max` of every `PersistentVolumeClaim` item.
    public static func violations(_ limitRanges: [JSONValue], claim: JSONValue) -> [String] {
        let requests = Quantity.list(claim[path: ["spec", "resources", "requests"]])
        let kind = "PersistentVolumeClaim"
        var found: [String] = []
        for item in items(limitRanges, type: kind) {
            for (bound, comparison) in [("minimum", "min"), ("maximum", "max")] {
                for (resource, limit) in quantities(item[comparison]) {
                    guard let request = requests[resource] else {
                        found.append("\(bound) \(resource) usage per \(kind) is \(limit).  No request is specified")
                        continue
                    }
                    if comparison == "min" ? request < limit : request > limit {
                        found.append("\(bound) \(resource) usage per \(kind) is \(limit), but request is \(request)")
                    }
                }
            }
        }
        return found
    }

    /// The `spec.limits` entries of `type` across the LimitRanges.
    private static func items(_ limitRanges: [JSONValue], type: String) -> [JSONValue] {
        limitRanges.flatMap { $0[path: ["spec", "limits"]]?.arrayValue ?? [] }.filter { $0["type"]?.stringValue == type }
    }

    private static func check(_ item: JSONValue, kind: String, usage: PodResources) -> [String] {
        var found: [String] = []
        for (resource, minimum) in quantities(item["min"]) {
            let request = usage.requests[resource]
            let limit = usage.limits[resource]
            if let request {
                if request < minimum { found.append("minimum \(resource) usage per \(kind) is \(minimum), but request is \(request)") }
            } else {
                found.append("minimum \(resource) usage per \(kind) is \(minimum).  No request is specified")
            }
            if let limit, limit < minimum { found.append("minimum \(resource) usage per \(kind) is \(minimum), but limit is \(limit)") }
        }
        for (resource, maximum) in quantities(item["max"]) {
            let request = usage.requests[resource]
            if let limit = usage.limits[resource] {
                if limit > maximum { found.append("maximum \(resource) usage per \(kind) is \(maximum), but limit is \(limit)") }
            } else {
                found.append("maximum \(resource) usage per \(kind) is \(maximum).  No limit is specified")
            }
            if let request, request > maximum { found.append("maximum \(resource) usage per \(kind) is \(maximum), but request is \(request)") }
        }
        for (resource, ratio) in quantities(item["maxLimitRequestRatio"]) {
            guard let request = usage.requests[resource], request > .zero else {
                found.append("\(resource) max limit to request ratio per \(kind) is \(ratio), but no request is specified or request is 0")
                continue
            }
            guard let limit = usage.limits[resource] else {
                found.append("\(resource) max limit to request ratio per \(kind) is \(ratio), but no limit is specified")
                continue
            }
            let observed = limit.value / request.value
            if observed > ratio.value {
                let text = String(format: "%f", NSDecimalNumber(decimal: observed).doubleValue)
                found.append("\(resource) max limit to request ratio per \(kind) is \(ratio), but provided ratio is \(text)")
            }
        }
        return found
    }

    /// Sorted by resource name, so messages come in a stable order.
    private static func quantities(_ value: JSONValue?) -> [(String, Quantity)] {
        Quantity.list(value).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
