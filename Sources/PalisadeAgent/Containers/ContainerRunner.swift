import Foundation
import Glibc
import Logging
import PalisadeAPI
import PalisadeRuntime

/// Starts one instance of a pod's container: a fresh root file system from its image, its
/// cgroup with the limits from `resources`, its security settings, output to its log file,
/// the pod's namespaces joined; denied system calls go to the node's log with the pod and
/// container named.
struct ContainerRunner: Sendable {
    let images: ImageStore
    let profiles: SeccompProfiles
    let cgroups: CgroupLayout?
    /// The pids limit of every container, so a fork bomb stops there.
    let pidsLimit: Int64
    let logger: Logger

    /// A started container instance.
    struct Instance: Sendable {
        let process: ChildProcess
        /// What it was started with (exec probes start their command the same way).
        let spec: ContainerSpec
        let cgroup: Cgroup?
        let imageID: String
        let startedAt: Date
    }

    /// Why a container did not start, as the kubelet reports it.
    enum Failure: Error {
        /// The image is not in the node's store (waiting, `ErrImageNeverPull`).
        case image(String)
        /// The pod asks for something impossible (waiting, `CreateContainerConfigError`).
        case configuration(String)
        /// The process could not be started (terminated, `StartError`, exit code 128).
        case start(String)
    }

    struct Request {
        let pod: JSONValue
        let container: JSONValue
        /// The container's directory on the node: its root file system goes in it.
        let directory: String
        /// The container's `NAME=value` entries, given the image's (which the pod's override).
        let environment: @Sendable ([String]) async throws -> [String]
        let mounts: [ContainerMount]
        let sandbox: PodSandbox
        let logPath: String
        let userNamespace: (hostBase: UInt32, size: UInt32)?
        let cgroupName: String
    }

    func start(_ request: Request) async throws(Failure) -> Instance {
        let name = request.container["name"]?.stringValue ?? ""
        let reference = request.container["image"]?.stringValue ?? ""
        let image: ImageStore.Image
        let config: ImageConfig
        do {
            image = try images.resolve(reference)
            config = try ImageConfig(store: images, image: image)
        } catch {
            throw .image(error.description)
        }
        let rootfs = request.directory + "/rootfs"
        do {
            // Each start is a new container: nothing the last one wrote survives it.
            try? FileManager.default.removeItem(atPath: rootfs)
            try RootfsUnpacker(store: images).unpack(image, into: rootfs)
            if let mapping = request.userNamespace { try RootfsOwnership.shift(rootfs, by: mapping.hostBase) }
        } catch {
            throw .start("preparing the root file system: \(error)")
        }

        let security: ContainerSecurity
        let seccomp: SeccompProgram?
        do {
            security = try ContainerSecurity(pod: request.pod, container: request.container, imageUser: ImageUser.resolve(config.user, rootfs: rootfs))
            seccomp = try profiles.program(for: security.seccomp)
        } catch {
            throw .configuration(error.description)
        }
        let environment: [String]
        do {
            environment = try await request.environment(config.environment)
        } catch {
            throw .configuration("\(error)")
        }
        var spec = ContainerSpec(
            rootfs: rootfs,
            arguments: ContainerCommandLine.arguments(container: request.container, image: config, environment: environment),
            environment: environment, capabilities: security.capabilities
        )
        spec.workingDirectory = request.container["workingDir"]?.stringValue ?? (config.workingDirectory.isEmpty ? "/" : config.workingDirectory)
        // Made when missing, as containerd does (where the container will see it).
        if let directory = try? RootPath.hostPath(spec.workingDirectory, in: rootfs) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        spec.mounts = request.mounts
        spec.readOnlyRootFilesystem = security.readOnlyRootFilesystem
        spec.maskKernelPaths = !security.privileged
        spec.user = security.user
        spec.group = security.group
        spec.supplementaryGroups = security.supplementaryGroups
        spec.noNewPrivileges = security.noNewPrivileges
        spec.seccomp = seccomp
        spec.sandbox = request.sandbox
        spec.userNamespace = request.userNamespace

        let log = open(request.logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard log >= 0 else { throw .start("opening the log \(request.logPath): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .start("opening /dev/null: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        spec.standardStreams = (input, log, log)

        let cgroup: Cgroup?
        do {
            cgroup = try cgroups.map { layout throws(CgroupError) in
                try Cgroup.create(request.cgroupName, limits: CgroupLimits(resources: request.container["resources"], pids: pidsLimit), layout: layout)
            }
        } catch {
            throw .start("cgroup: \(error)")
        }
        spec.cgroup = cgroup
        let started: ContainerLauncher.Started
        do {
            started = try ContainerLauncher.start(spec)
        } catch {
            cgroup?.remove()
            throw .start(error.description)
        }
        if let listener = started.denialListener, let seccomp {
            let pod = "\(request.pod.namespace ?? "")/\(request.pod.name ?? "")"
            let counts = DenialCounts()
            SeccompDenialMonitor.start(listener: listener, program: seccomp) { [logger] denial in
                // A container looping on a denied call must not flood the node's log.
                guard let count = counts.record(denial.syscall) else { return }
                logger.warning(
                    "seccomp denied a system call",
                    metadata: ["syscall": "\(denial.syscall)", "pod": "\(pod)", "container": "\(name)", "pid": "\(denial.pid)", "count": "\(count)"]
                )
            }
        }
        spec.standardStreams = (-1, -1, -1)
        return Instance(process: started.process, spec: spec, cgroup: cgroup, imageID: "sha256:\(image.manifest.hex)", startedAt: Date())
    }
}
