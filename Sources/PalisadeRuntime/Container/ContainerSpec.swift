import Glibc

/// Everything needed to start one container process: what runs, in which root, as whom,
/// with which privileges, in which namespaces and cgroup.
public struct ContainerSpec: Sendable {
    public var rootfs: String
    /// The program and its arguments; the program is looked up on the container's `PATH`.
    public var arguments: [String]
    public var environment: [String]
    public var workingDirectory: String = "/"
    public var hostname: String?

    public var mounts: [ContainerMount] = []
    public var readOnlyRootFilesystem = false
    /// Hide kernel memory, keys and timers under /proc and /sys and make the rest of /proc's
    /// system files read-only (off only for privileged containers).
    public var maskKernelPaths = true

    public var user: uid_t = 0
    public var group: gid_t = 0
    public var supplementaryGroups: [gid_t] = []
    /// Bounding, permitted and effective capabilities (``Capabilities/mask(add:drop:)``).
    public var capabilities: UInt64
    public var noNewPrivileges = true
    /// The compiled filter; nil only for `Unconfined`.
    public var seccomp: SeccompProgram?

    /// The pod's shared namespaces to join; nil gives the container its own network.
    public var sandbox: PodSandbox?
    /// Container user IDs 0…size-1 map to host IDs from `hostBase` (`hostUsers: false`).
    public var userNamespace: (hostBase: UInt32, size: UInt32)?
    public var cgroup: Cgroup?
    /// Run inside this running container instead (its namespaces joined, its root and mounts
    /// as they are; nothing mounted anew), as an exec probe is.
    public var enter: pid_t?

    /// Standard input, output and error; -1 leaves the agent's.
    public var standardStreams: (Int32, Int32, Int32) = (-1, -1, -1)

    public init(rootfs: String, arguments: [String], environment: [String], capabilities: UInt64) {
        self.rootfs = rootfs
        self.arguments = arguments
        self.environment = environment
        self.capabilities = capabilities
    }
}
