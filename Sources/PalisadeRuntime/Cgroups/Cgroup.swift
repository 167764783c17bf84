import Foundation
import Glibc

/// One container's cgroup, in whichever hierarchy each controller lives (``CgroupLayout``):
/// created with its limits written, processes added by pid, the OOM kills it saw read back
/// (so a container killed for memory is reported `OOMKilled`), and removed once empty.
public final class Cgroup: Sendable {
    /// The cgroup's path below each hierarchy's root, e.g. `palisade/<pod uid>/<container>`.
    public let name: String
    /// The directory of each controller's cgroup, and its cgroup version.
    let directories: [String: (path: String, version: Int)]

    private init(name: String, directories: [String: (path: String, version: Int)]) {
        self.name = name
        self.directories = directories
    }

    /// Creates the cgroup and writes `limits`. A limit whose controller this machine lacks is
    /// an error, never silently dropped.
    public static func create(_ name: String, limits: CgroupLimits, layout: CgroupLayout) throws(CgroupError) -> Cgroup {
        var directories: [String: (path: String, version: Int)] = [:]
        for controller in CgroupLayout.controllers {
            guard let hierarchy = layout.hierarchy(of: controller) else {
                let needed = controller == "memory" ? limits.memoryBytes != nil : controller == "pids" ? limits.pids != nil : limits.cpuQuota != nil
                if needed { throw CgroupError("no \(controller) cgroup controller on this machine") }
                continue
            }
            let path = "\(hierarchy.path)/\(name)"
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw CgroupError("cannot create \(path): \(error)")
            }
            if hierarchy.version == 2 { try enable(controller, from: hierarchy.path, to: name) }
            directories[controller] = (path, hierarchy.version)
        }
        let cgroup = Cgroup(name: name, directories: directories)
        try cgroup.write(limits)
        return cgroup
    }

    /// On cgroup v2 a controller is usable in a cgroup only once every ancestor delegates it.
    private static func enable(_ controller: String, from root: String, to name: String) throws(CgroupError) {
        var path = root
        for component in name.split(separator: "/").dropLast() {
            try write("+\(controller)", to: "\(path)/cgroup.subtree_control")
            path += "/\(component)"
        }
        try write("+\(controller)", to: "\(path)/cgroup.subtree_control")
    }

    private func write(_ limits: CgroupLimits) throws(CgroupError) {
        if let memory = directories["memory"] {
            let bytes = limits.memoryBytes.map(String.init)
            if memory.version == 2 {
                try Self.write(bytes ?? "max", to: "\(memory.path)/memory.max")
                // No swap, so exceeding the limit is an OOM kill, not a slowdown.
                if limits.memoryBytes != nil { try? Self.write("0", to: "\(memory.path)/memory.swap.max") }
            } else {
                try Self.write(bytes ?? "-1", to: "\(memory.path)/memory.limit_in_bytes")
                // Memory and swap together, where swap is accounted: an OOM kill, not swapping.
                if let bytes { try? Self.write(bytes, to: "\(memory.path)/memory.memsw.limit_in_bytes") }
            }
        }
        if let cpu = directories["cpu"] {
            if cpu.version == 2 {
                try Self.write("\(limits.cpuQuota.map(String.init) ?? "max") \(CgroupLimits.cpuPeriod)", to: "\(cpu.path)/cpu.max")
                try Self.write(String(limits.cpuWeight), to: "\(cpu.path)/cpu.weight")
            } else {
                try Self.write(String(CgroupLimits.cpuPeriod), to: "\(cpu.path)/cpu.cfs_period_us")
                try Self.write(limits.cpuQuota.map(String.init) ?? "-1", to: "\(cpu.path)/cpu.cfs_quota_us")
                try Self.write(String(limits.cpuShares), to: "\(cpu.path)/cpu.shares")
            }
        }
        if let pids = directories["pids"] {
            try Self.write(limits.pids.map(String.init) ?? "max", to: "\(pids.path)/pids.max")
        }
    }

    /// Moves a process (and the children it will have) into the cgroup.
    public func add(_ pid: pid_t) throws(CgroupError) {
        for path in Set(directories.values.map(\.path)) { try Self.write(String(pid), to: "\(path)/cgroup.procs") }
    }

    /// The `cgroup.procs` files a process is written to to join the cgroup.
    public var procsFiles: [String] {
        Set(directories.values.map(\.path)).sorted().map { "\($0)/cgroup.procs" }
    }

    /// The processes in the cgroup now.
    public func processes() -> [pid_t] {
        Set(procsFiles.flatMap { file in
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
        }).sorted()
    }

    /// Sends `signal` to every process in the cgroup.
    public func signalAll(_ signal: Int32) {
        for pid in processes() { kill(pid, signal) }
    }

    /// How many processes the kernel killed for exceeding the memory limit.
    public func oomKills() -> Int {
        guard let memory = directories["memory"] else { return 0 }
        let file = memory.version == 2 ? "memory.events" : "memory.oom_control"
        let text = (try? String(contentsOfFile: "\(memory.path)/\(file)", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }

    /// How many processes are in the cgroup now (from the pids controller).
    public func processCount() -> Int? {
        guard let pids = directories["pids"] else { return nil }
        return (try? String(contentsOfFile: "\(pids.path)/pids.current", encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Removes the cgroup (its processes must have ended).
    public func remove() {
        for path in Set(directories.values.map(\.path)) { rmdir(path) }
    }

    private static func write(_ value: String, to path: String) throws(CgroupError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CgroupError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = value.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        guard written >= 0 else { throw CgroupError("cannot write \(value) to \(path): \(String(cString: strerror(errno)))") }
    }
}
