import Foundation
import Glibc
import PalisadeAPI

/// What a node offers and what it is, as its agent reports them in `status.capacity`,
/// `status.allocatable` and `status.nodeInfo`: CPUs, memory and disk read from the machine,
/// minus what is kept back for the system (as the kubelet's system-reserved and hard
/// eviction threshold), and the kernel, OS and architecture.
public struct NodeResources: Sendable, Equatable {
    /// Kept back from pods: CPU for the agent and system, memory for them and the eviction margin.
    public static let reservedMillicores: Int64 = 100
    public static let reservedMemoryBytes: Int64 = (256 + 100) << 20
    public static let maxPods = 110

    public var millicores: Int64
    public var memoryBytes: Int64
    public var storageBytes: Int64
    public var kernelVersion: String
    public var osImage: String
    public var architecture: String
    public var machineID: String
    public var bootID: String

    /// Reads the machine; `dataDirectory` is where pods' local data will live.
    public static func detect(dataDirectory: String) -> NodeResources {
        var names = utsname()
        uname(&names)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        var disk = statvfs()
        let storage = statvfs(dataDirectory, &disk) == 0 ? Int64(disk.f_blocks) * Int64(disk.f_frsize) : 0
        func read(_ path: String) -> String { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        return NodeResources(
            millicores: Int64(ProcessInfo.processInfo.activeProcessorCount) * 1000,
            memoryBytes: memoryBytes(meminfo: read("/proc/meminfo")) ?? 0, storageBytes: storage,
            kernelVersion: field(names.release), osImage: osImage(osRelease: read("/etc/os-release")) ?? "Linux",
            architecture: goArchitecture(field(names.machine)), machineID: read("/etc/machine-id"), bootID: read("/proc/sys/kernel/random/boot_id")
        )
    }

    /// `MemTotal` of `/proc/meminfo`, in bytes.
    static func memoryBytes(meminfo: String) -> Int64? {
        guard let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) else { return nil }
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2, let kibibytes = Int64(parts[1]) else { return nil }
        return kibibytes * 1024
    }

    /// `PRETTY_NAME` of `/etc/os-release`.
    static func osImage(osRelease: String) -> String? {
        guard let line = osRelease.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) else { return nil }
        return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    }

    /// Kubernetes names architectures as Go does.
    static func goArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": "amd64"
        case "aarch64": "arm64"
        case "armv7l": "arm"
        default: machine
        }
    }

    public var capacity: JSONValue {
        [
            "cpu": .string(Self.cpu(millicores)), "memory": .string("\(memoryBytes / 1024)Ki"),
            "ephemeral-storage": .string("\(storageBytes / 1024)Ki"), "pods": .string(String(Self.maxPods)),
        ]
    }

    public var allocatable: JSONValue {
        [
            "cpu": .string(Self.cpu(max(0, millicores - Self.reservedMillicores))),
            "memory": .string("\(max(0, memoryBytes - Self.reservedMemoryBytes) / 1024)Ki"),
            // The kubelet's default nodefs eviction threshold: 10% of the disk stays free.
            "ephemeral-storage": .string("\(storageBytes * 9 / 10 / 1024)Ki"), "pods": .string(String(Self.maxPods)),
        ]
    }

    public var nodeInfo: JSONValue {
        [
            "kernelVersion": .string(kernelVersion), "osImage": .string(osImage), "operatingSystem": "linux",
            "architecture": .string(architecture), "machineID": .string(machineID), "bootID": .string(bootID),
            "systemUUID": .string(machineID), "containerRuntimeVersion": "palisade://0.1.0", "kubeletVersion": "v1.32.0-palisade",
            "kubeProxyVersion": "",
        ]
    }

    private static func cpu(_ millicores: Int64) -> String {
        millicores % 1000 == 0 ? String(millicores / 1000) : "\(millicores)m"
    }
}
