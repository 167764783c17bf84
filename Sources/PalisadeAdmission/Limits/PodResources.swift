import PalisadeAPI

/// The requests and limits of a container, or what a whole pod needs, as LimitRanger and
/// ResourceQuota count them.
public struct PodResources: Sendable {
    public var requests: [String: Quantity] = [:]
    public var limits: [String: Quantity] = [:]

    public init(container: JSONValue) {
        requests = Quantity.list(container[path: ["resources", "requests"]])
        limits = Quantity.list(container[path: ["resources", "limits"]])
    }

    /// A pod needs the sum of its containers, or the most any init container needs if that
    /// is more (they run one at a time, before the others). A pod limit exists only when
    /// every container sets one.
    public init(pod: JSONValue) {
        let containers = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).map { PodResources(container: $0) }
        let initContainers = (pod[path: ["spec", "initContainers"]]?.arrayValue ?? []).map { PodResources(container: $0) }
        requests = Self.total(containers.map(\.requests), initContainers.map(\.requests), everyContainer: false)
        limits = Self.total(containers.map(\.limits), initContainers.map(\.limits), everyContainer: true)
    }

    private static func total(
        _ containers: [[String: Quantity]], _ initContainers: [[String: Quantity]], everyContainer: Bool
    ) -> [String: Quantity] {
        var total: [String: Quantity] = [:]
        for resource in Set((containers + initContainers).flatMap(\.keys)) {
            let values = containers.map { $0[resource] }
            if everyContainer && values.contains(where: { $0 == nil }) { continue }
            var sum = values.compactMap { $0 }.reduce(Quantity.zero, +)
            if let largest = initContainers.compactMap({ $0[resource] }).max(), largest > sum { sum = largest }
            total[resource] = sum
        }
        return total
    }
}
