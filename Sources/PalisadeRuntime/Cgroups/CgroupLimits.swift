import Foundation
import PalisadeAPI

/// A container's cgroup limits from its `resources`, as the kubelet derives them: the
/// memory limit in bytes, the CPU limit as a CFS quota per 100 ms period, CPU shares from
/// the request (weight on cgroup v2), and a pids limit the node sets for every pod.
public struct CgroupLimits: Sendable, Equatable {
    public static let cpuPeriod: Int64 = 100_000

    public var memoryBytes: Int64?
    public var cpuQuota: Int64?
    public var cpuShares: Int64
    public var pids: Int64?

    public init(memoryBytes: Int64? = nil, cpuQuota: Int64? = nil, cpuShares: Int64 = 2, pids: Int64? = nil) {
        self.memoryBytes = memoryBytes
        self.cpuQuota = cpuQuota
        self.cpuShares = cpuShares
        self.pids = pids
    }

    public init(resources: JSONValue?, pids: Int64?) {
        let limits = Quantity.list(resources?["limits"])
        let requests = Quantity.list(resources?["requests"])
        memoryBytes = limits["memory"].map { NSDecimalNumber(decimal: $0.value).int64Value }
        cpuQuota = limits["cpu"].map { max(1000, Self.millicores($0) * Self.cpuPeriod / 1000) }
        // As the kubelet: the request in millicores scaled to 1024 shares a core, at least 2.
        cpuShares = max(2, (requests["cpu"] ?? limits["cpu"]).map { Self.millicores($0) * 1024 / 1000 } ?? 2)
        self.pids = pids
    }

    /// cgroup v2's `cpu.weight` for these shares (Kubernetes' conversion).
    public var cpuWeight: Int64 { 1 + ((cpuShares - 2) * 9999) / 262_142 }

    private static func millicores(_ quantity: Quantity) -> Int64 {
        NSDecimalNumber(decimal: quantity.value * 1000).int64Value
    }
}
