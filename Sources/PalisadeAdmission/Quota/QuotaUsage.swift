import Foundation
import PalisadeAPI

/// What an object counts against a ResourceQuota, in Kubernetes' resource names:
/// `count/<resource>[.<group>]` for every kind, the legacy counts of core kinds (`pods`,
/// `secrets`, ...), and for Pods their compute requests and limits (`requests.cpu`, `cpu`,
/// `limits.memory`, ...). Pods that have finished count for nothing.
public enum QuotaUsage {
    /// Core resources counted under their bare name as well as `count/<name>`.
    static let legacyCounts: Set<String> = [
        "pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers", "resourcequotas",
    ]

    /// Compute resources a pod's requests also count under their bare name (`cpu` is `requests.cpu`).
    static let bareRequests: Set<String> = ["cpu", "memory", "ephemeral-storage"]

    public static func usage(of object: JSONValue, group: String, resource: String) -> [String: Quantity] {
        let isPod = group.isEmpty && resource == "pods"
        if isPod, ["Succeeded", "Failed"].contains(object[path: ["status", "phase"]]?.stringValue ?? "") { return [:] }
        var usage: [String: Quantity] = [countKey(group: group, resource: resource): Quantity(1)]
        if group.isEmpty, legacyCounts.contains(resource) { usage[resource] = Quantity(1) }
        if isPod {
            let needs = PodResources(pod: object)
            for (name, amount) in needs.requests {
                usage["requests.\(name)"] = amount
                if bareRequests.contains(name) { usage[name] = amount }
            }
            for (name, amount) in needs.limits { usage["limits.\(name)"] = amount }
        }
        if group.isEmpty, resource == "persistentvolumeclaims",
            let storage = object[path: ["spec", "resources", "requests", "storage"]]?.stringValue.flatMap(Quantity.init)
        {
            usage["requests.storage"] = storage
        }
        if group.isEmpty, resource == "services" {
            let type = object[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
            if type == "LoadBalancer" { usage["services.loadbalancers"] = Quantity(1) }
            if type == "NodePort" || type == "LoadBalancer" {
                usage["services.nodeports"] = Quantity(Decimal(object[path: ["spec", "ports"]]?.arrayValue?.count ?? 0))
            }
        }
        return usage
    }

    /// `count/pods`, `count/deployments.apps`.
    public static func countKey(group: String, resource: String) -> String {
        group.isEmpty ? "count/\(resource)" : "count/\(resource).\(group)"
    }

    /// A resource in an API group (`""` for core).
    public struct GroupResource: Sendable, Hashable {
        public let group: String
        public let resource: String

        public init(group: String, resource: String) {
            self.group = group
            self.resource = resource
        }
    }

    /// The resource whose objects add up to a quota key: the counted resource of a count,
    /// Services for `services.*`, claims for `requests.storage`, Pods for compute keys.
    public static func source(of key: String) -> GroupResource {
        if legacyCounts.contains(key) { return GroupResource(group: "", resource: key) }
        if key.hasPrefix("count/") {
            let name = key.dropFirst("count/".count)
            guard let dot = name.firstIndex(of: ".") else { return GroupResource(group: "", resource: String(name)) }
            return GroupResource(group: String(name[name.index(after: dot)...]), resource: String(name[..<dot]))
        }
        if key.hasPrefix("services.") { return GroupResource(group: "", resource: "services") }
        if key == "requests.storage" { return GroupResource(group: "", resource: "persistentvolumeclaims") }
        return GroupResource(group: "", resource: "pods")
    }

    /// The compute keys of `hard` a pod cannot be charged for because a container leaves the
    /// request or limit out: `limits.cpu for: app; requests.memory for: app, sidecar`.
    public static func unspecified(pod: JSONValue, hard: Set<String>) -> String? {
        let containers = ["initContainers", "containers"].flatMap { pod[path: ["spec", $0]]?.arrayValue ?? [] }
        var missing: [String] = []
        for key in hard.sorted() {
            let (field, name): (String, String)
            if key.hasPrefix("requests.") || key.hasPrefix("limits.") {
                let parts = key.split(separator: ".", maxSplits: 1)
                (field, name) = (String(parts[0]), String(parts[1]))
            } else if bareRequests.contains(key) {
                (field, name) = ("requests", key)
            } else {
                continue
            }
            guard name != "storage" else { continue }
            let lacking = containers.filter { $0[path: ["resources", field, name]] == nil }.map { $0["name"]?.stringValue ?? "" }
            if !lacking.isEmpty { missing.append("\(field).\(name) for: \(lacking.joined(separator: ", "))") }
        }
        return missing.isEmpty ? nil : missing.joined(separator: "; ")
    }

    /// The keys `delta` would push past `hard` on top of `used`, sorted.
    public static func exceeded(hard: [String: Quantity], used: [String: Quantity], delta: [String: Quantity]) -> [String] {
        delta.keys.filter { key in
            guard let limit = hard[key] else { return false }
            return (used[key] ?? .zero) + delta[key]! > limit
        }.sorted()
    }

    /// `pods=1,requests.cpu=500m`: Kubernetes' way of printing resource lists in quota errors.
    public static func describe(_ keys: [String], _ values: [String: Quantity]) -> String {
        keys.map { "\($0)=\(values[$0] ?? .zero)" }.joined(separator: ",")
    }
}
