import CContainer
import Foundation
import Glibc

/// Starts container processes through the C launcher (``CContainer``): the spec is turned
/// into C memory that outlives the child's setup, and a failure comes back as the step
/// that failed and why ("exec sh: No such file or directory").
public enum ContainerLauncher {
    public struct Started: Sendable {
        public let process: ChildProcess
        /// Reports the calls the seccomp filter denies; nil when it reports none.
        public let denialListener: Int32?
    }

    private static let lastCapability: Int32 = {
        let text = (try? String(contentsOfFile: "/proc/sys/kernel/cap_last_cap", encoding: .utf8)) ?? ""
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 40
    }()

    public static func start(_ spec: ContainerSpec) throws(ContainerError) -> Started {
        guard !spec.arguments.isEmpty else { throw ContainerError("no command to run: neither the pod nor the image names one") }
        let arguments = CStrings(spec.arguments)
        let environment = CStrings(spec.environment)
        let rootfs = CStrings([spec.rootfs, spec.workingDirectory, spec.hostname ?? ""])
        let mounts = MountList(spec.mounts)
        let masked = CStrings(spec.maskKernelPaths ? StandardMounts.maskedPaths : [])
        let readOnly = CStrings(spec.maskKernelPaths ? StandardMounts.readOnlyPaths : [])
        let procs = CStrings(spec.cgroup?.procsFiles ?? [])
        let maps = CStrings(spec.userNamespace.map { ["0 \($0.hostBase) \($0.size)\n"] } ?? ["", ""])
        let joined = spec.sandbox?.namespaceFiles ?? []
        let program = spec.seccomp?.bytes ?? []

        var config = palisade_container_config()
        config.rootfs = rootfs[0]
        config.argv = UnsafePointer(arguments.array)
        config.envp = UnsafePointer(environment.array)
        config.cwd = rootfs[1]
        config.hostname = spec.hostname == nil ? nil : rootfs[2]
        // Containers of a pod share its network, IPC and UTS namespaces (the sandbox's).
        let ownNamespaces = PALISADE_NEW_MOUNT.rawValue | PALISADE_NEW_PID.rawValue
        let podNamespaces = PALISADE_NEW_NETWORK.rawValue | PALISADE_NEW_IPC.rawValue | PALISADE_NEW_UTS.rawValue
        if let pid = spec.enter {
            config.enter_pid = pid
            config.enter_user_namespace = spec.userNamespace == nil ? 0 : 1
        } else {
            config.clone_flags = Int32(ownNamespaces | (spec.sandbox == nil ? podNamespaces : 0))
            config.join_count = joined.count
            config.new_cgroup_namespace = spec.cgroup == nil ? 0 : 1
        }
        config.cgroup_procs = UnsafePointer(procs.array)
        config.mount_count = mounts.count
        config.default_devices = 1
        config.masked_paths = UnsafePointer(masked.array)
        config.readonly_paths = UnsafePointer(readOnly.array)
        config.readonly_rootfs = spec.readOnlyRootFilesystem ? 1 : 0
        config.user_namespace = spec.userNamespace == nil ? 0 : 1
        config.uid_map = maps[0]
        config.gid_map = maps[0]
        config.uid = spec.user
        config.gid = spec.group
        config.group_count = spec.supplementaryGroups.count
        config.capabilities = spec.capabilities
        config.last_capability = lastCapability
        config.no_new_privs = spec.noNewPrivileges ? 1 : 0
        config.seccomp_program_length = program.count
        config.seccomp_listener = spec.seccomp?.reportsDenials == true ? 1 : 0
        config.stdio = spec.standardStreams

        var started = palisade_started()
        let result = joined.withUnsafeBufferPointer { joinFiles in
            spec.supplementaryGroups.withUnsafeBufferPointer { groups in
                program.withUnsafeBytes { programBytes in
                    config.join_fds = joinFiles.baseAddress
                    config.groups = groups.baseAddress
                    config.seccomp_program = programBytes.isEmpty ? nil : programBytes.baseAddress
                    config.mounts = UnsafePointer(mounts.pointer)
                    return palisade_container_start(&config, &started)
                }
            }
        }
        withExtendedLifetime((arguments, environment, rootfs, masked, readOnly, procs, maps, mounts)) {}
        guard result == 0 else {
            let reason = withUnsafeBytes(of: started.error) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            throw ContainerError(reason)
        }
        return Started(process: ChildProcess(pid: started.pid), denialListener: started.seccomp_listener_fd >= 0 ? started.seccomp_listener_fd : nil)
    }
}

/// The standard file systems and the spec's bind mounts as C `palisade_mount`s, in order.
private final class MountList {
    let pointer: UnsafeMutablePointer<palisade_mount>
    let count: Int
    private let strings: CStrings

    init(_ volumes: [ContainerMount]) {
        let standard = StandardMounts.fileSystems
        var texts: [String] = []
        for system in standard { texts += [system.type, system.destination, system.data ?? ""] }
        for volume in volumes { texts += [volume.source, volume.destination] }
        strings = CStrings(texts)
        count = standard.count + volumes.count
        pointer = .allocate(capacity: max(count, 1))
        for (index, system) in standard.enumerated() {
            pointer[index] = palisade_mount(
                source: strings[3 * index], destination: strings[3 * index + 1], fstype: strings[3 * index],
                flags: system.flags, data: system.data == nil ? nil : strings[3 * index + 2], readonly: system.readOnly ? 1 : 0
            )
        }
        let base = 3 * standard.count
        for (index, volume) in volumes.enumerated() {
            pointer[standard.count + index] = palisade_mount(
                source: strings[base + 2 * index], destination: strings[base + 2 * index + 1], fstype: nil,
                flags: UInt(MS_NOSUID | MS_NODEV), data: nil, readonly: volume.readOnly ? 1 : 0
            )
        }
    }

    deinit { pointer.deallocate() }
}
