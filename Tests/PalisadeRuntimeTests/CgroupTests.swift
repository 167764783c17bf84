import Foundation
import Glibc
import PalisadeAPI
@testable import PalisadeRuntime
import Testing

/// Cgroup limits from container resources, in the hierarchy each controller lives in; and,
/// as root, a memory hog OOM-killed and a fork bomb stopped at the pids limit.
@Suite struct CgroupTests {
    static let hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        34 31 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    @Test func theHybridLayoutUsesV1ControllersTheUnifiedHierarchyLacks() {
        let layout = CgroupLayout.parse(mountinfo: Self.hybrid) { _ in "hugetlb\n" }
        #expect(layout.hierarchy(of: "memory")! == ("/sys/fs/cgroup/memory", 1))
        #expect(layout.hierarchy(of: "pids")! == ("/sys/fs/cgroup/pids", 1))
        let unified = CgroupLayout.parse(mountinfo: "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw") { _ in "cpuset cpu io memory pids" }
        #expect(unified.hierarchy(of: "memory")! == ("/sys/fs/cgroup", 2) && unified.hierarchy(of: "cpu")! == ("/sys/fs/cgroup", 2))
    }

    @Test func limitsFollowTheKubeletsArithmetic() {
        let limits = CgroupLimits(resources: ["limits": ["memory": "64Mi", "cpu": "500m"], "requests": ["cpu": "250m"]], pids: 1024)
        #expect(limits == CgroupLimits(memoryBytes: 64 << 20, cpuQuota: 50_000, cpuShares: 256, pids: 1024))
        #expect(limits.cpuWeight == 10)
        #expect(CgroupLimits(resources: nil, pids: nil) == CgroupLimits(cpuShares: 2))
    }

    /// Root on a machine whose memory and pids hierarchies accept a new cgroup.
    static var canManageCgroups: Bool {
        guard getuid() == 0, let layout = try? CgroupLayout.detect() else { return false }
        guard let probe = try? Cgroup.create("palisade-probe-\(UUID().uuidString)", limits: CgroupLimits(), layout: layout) else { return false }
        probe.remove()
        return layout.hierarchy(of: "memory") != nil && layout.hierarchy(of: "pids") != nil
    }

    /// Runs `arguments` inside `cgroup` (added before it starts its work); returns how it ended and its output.
    static func run(_ arguments: [String], in cgroup: Cgroup) throws -> (signal: Int32?, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "read go; exec \"$@\"", "sh"] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        try cgroup.add(process.processIdentifier)
        input.fileHandleForWriting.write(Data("go\n".utf8))
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: canManageCgroups)) func aMemoryHogIsOOMKilled() throws {
        let cgroup = try Cgroup.create("palisade-test-\(UUID().uuidString)", limits: CgroupLimits(memoryBytes: 64 << 20, pids: 64), layout: try CgroupLayout.detect())
        defer { cgroup.remove() }
        let result = try Self.run(["python3", "-c", "a = bytearray(512 << 20); print('survived')"], in: cgroup)
        #expect(result.signal == SIGKILL && result.output.isEmpty, "killed, not finished")
        #expect(cgroup.oomKills() >= 1, "and the kernel says it was for memory")
    }

    @Test(.enabled(if: canManageCgroups)) func aForkBombStopsAtThePidsLimit() async throws {
        let cgroup = try Cgroup.create("palisade-test-\(UUID().uuidString)", limits: CgroupLimits(pids: 8), layout: try CgroupLayout.detect())
        defer { cgroup.remove() }
        let bomb = """
            import os, time
            started = 0
            for _ in range(50):
                try:
                    if os.fork() == 0:
                        time.sleep(1); os._exit(0)
                    started += 1
                except OSError:
                    pass
            print(started, flush=True)
            """
        let result = try Self.run(["python3", "-c", bomb], in: cgroup)
        let started = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(started >= 1 && started <= 7, "at most 8 processes with python itself: \(result.output)")
        // The children outlive their parent by a second; the cgroup can go once they have.
        for _ in 0..<60 where (cgroup.processCount() ?? 0) > 0 { try await Task.sleep(for: .milliseconds(50)) }
    }
}
