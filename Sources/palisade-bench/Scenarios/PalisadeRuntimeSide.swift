import Foundation
import Glibc
import PalisadeRuntime

/// Palisade's side of `palisade-bench runtime`, set up as the agent runs a container: new
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
}
