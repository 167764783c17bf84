import Foundation
import PalisadeAPI

/// The resources the scheduler counts, in integers: CPU in millicores, memory in bytes, and
/// pods. Quantities are read once per object, never per placement.
public struct Resources: Sendable, Equatable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0
    public var pods: Int64 = 0

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, pods: Int64 = 0) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.pods = pods
    }

    /// `cpu`, `memory` and `pods` of a resource list (`allocatable`, `requests`).
    public init(_ list: JSONValue?) {
        let quantities = Quantity.list(list)
        milliCPU = quantities["cpu"].map { Self.integer($0.value * 1000) } ?? 0
        memory = quantities["memory"].map { Self.integer($0.value) } ?? 0
        pods = quantities["pods"].map { Self.integer($0.value) } ?? 0
    }

    /// Rounded up, as Kubernetes rounds a quantity to its integer form.
    private static func integer(_ value: Decimal) -> Int64 {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .up)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    public static func + (lhs: Resources, rhs: Resources) -> Resources {
        Resources(milliCPU: lhs.milliCPU + rhs.milliCPU, memory: lhs.memory + rhs.memory, pods: lhs.pods + rhs.pods)
    }

    public static func - (lhs: Resources, rhs: Resources) -> Resources {
        Resources(milliCPU: lhs.milliCPU - rhs.milliCPU, memory: lhs.memory - rhs.memory, pods: lhs.pods - rhs.pods)
    }

    /// What a pod asks for: the larger of the sum of its containers' requests and its
    /// largest init container's, plus its overhead; and one pod.
    public static func requested(by pod: JSONValue) -> Resources {
        let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
        let initContainers = pod[path: ["spec", "initContainers"]]?.arrayValue ?? []
        var sum = containers.reduce(Resources()) { $0 + Resources($1[path: ["resources", "requests"]]) }
        for container in initContainers {
            let requests = Resources(container[path: ["resources", "requests"]])
            sum.milliCPU = max(sum.milliCPU, requests.milliCPU)
            sum.memory = max(sum.memory, requests.memory)
        }
        var total = sum + Resources(pod[path: ["spec", "overhead"]])
        total.pods = 1
        return total
    }
}
