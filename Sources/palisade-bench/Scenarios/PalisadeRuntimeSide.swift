import Foundation
import Glibc
import PalisadeRuntime

/// Palisade's side of `palisade-bench runtime`, in the agent's process as the agent starts a
/// container (`spawn` times the CLI instead, a process per container as runc is). New
/// mount, PID, network, IPC and UTS namespaces, a cgroup of its own, the default
/// capabilities, masked and read-only kernel paths, a read-only root (the root is shared
/// with runc), no_new_privs and the RuntimeDefault seccomp filter reporting denials. Each
/// run is timed from the cgroup's creation to the container's exit and the cgroup's removal.
struct PalisadeRuntimeSide {
    let rootfs: String
    let seccomp: SeccompProgram
    let layout: CgroupLayout

    init(rootfs: String, profile: String) throws {
        self.rootfs = rootfs
        guard let text = try? String(contentsOfFile: profile, encoding: .utf8) else { throw RuntimeBenchError("\(profile) cannot be read") }
        seccomp = try SeccompProgram(SeccompProfile(json: text), reportDenials: true)
        layout = try CgroupLayout.detect()
    }

    func run(_ index: Int) throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        let cgroup = try Cgroup.create("palisade-bench/\(getpid())-\(index)", limits: CgroupLimits(pids: 1024), layout: layout)
        defer { cgroup.remove() }
        var spec = ContainerSpec(
            rootfs: rootfs, arguments: ["/bin/true"], environment: ["PATH=/bin"], capabilities: try Capabilities.mask(add: [], drop: [])
        )
        spec.readOnlyRootFilesystem = true
        spec.seccomp = seccomp
        spec.cgroup = cgroup
        let started = try ContainerLauncher.start(spec)
        if let listener = started.denialListener { SeccompDenialMonitor.start(listener: listener, program: seccomp) { _ in } }
        let exit = started.process.waitSynchronously()
        guard exit == .exited(0) else { throw RuntimeBenchError("palisade container of run \(index) ended with \(exit)") }
        cgroup.remove()
        return clock.now - start
    }

    /// One `palisade container run` process, spawn to exit.
    static func spawn(_ command: [String], scratch: String) throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        let status = try RuncBaseline.spawnAndWait(command, stderr: "\(scratch)/palisade-cli.err")
        guard status == 0 else {
            throw RuntimeBenchError("\(command.joined(separator: " ")): \(RuncBaseline.describe(status)): \(RuncBaseline.text(of: "\(scratch)/palisade-cli.err"))")
        }
        return clock.now - start
    }
}
