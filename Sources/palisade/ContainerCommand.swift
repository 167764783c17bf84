import ArgumentParser
import Foundation
import Glibc
import PalisadeRuntime

/// `palisade container run`: one container started the way the agent starts a pod's, from a
/// root file system directory, for trying the runtime out and for the benchmark. It exits
/// with the container's exit code; denied system calls are reported on standard error.
struct ContainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container", abstract: "Run a container from a root file system (as the agent does).", subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a command in a new container and wait for it.")

        @Option(help: "The container's root file system (a directory).")
        var rootfs: String

        @Option(help: "Seccomp profile, or \"unconfined\".")
        var seccomp = "policies/seccomp/runtime-default.json"

        @Option(help: "User ID to run as.")
        var user: UInt32 = 0

        @Option(help: "Group ID to run as.")
        var group: UInt32 = 0

        @Option(name: .customLong("cap-add"), help: "Capability to add to the default set.")
        var capAdd: [String] = []

        @Option(name: .customLong("cap-drop"), help: "Capability to drop from the default set (or ALL).")
        var capDrop: [String] = []

        @Flag(help: "Mount the root file system read-only.")
        var readOnly = false

        @Flag(help: "Run in a user namespace (container root is host uid 100000).")
        var userNamespace = false

        @Option(help: "Memory limit in bytes.")
        var memory: Int64?

        @Option(help: "Process limit.")
        var pids: Int64?

        @Option(name: .customLong("volume"), help: "Bind mount HOST:CONTAINER[:ro].")
        var volumes: [String] = []

        @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).")
        var command: [String]

        func run() async throws {
            let arguments = command.first == "--" ? Array(command.dropFirst()) : command
            var spec = ContainerSpec(
                rootfs: URL(fileURLWithPath: rootfs).standardizedFileURL.path, arguments: arguments,
                environment: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/"],
                capabilities: try Capabilities.mask(add: capAdd, drop: capDrop)
            )
            spec.user = user
            spec.group = group
            spec.readOnlyRootFilesystem = readOnly
            spec.hostname = "container"
            spec.userNamespace = userNamespace ? (100_000, 65536) : nil
            spec.mounts = try volumes.map(Self.mount)
            if seccomp != "unconfined" {
                let (profile, _) = try SeccompCommand.load(seccomp)
                spec.seccomp = try SeccompProgram(profile, reportDenials: true)
            }
            var cgroup: Cgroup?
            if memory != nil || pids != nil {
                cgroup = try Cgroup.create("palisade/cli-\(getpid())", limits: CgroupLimits(memoryBytes: memory, pids: pids), layout: CgroupLayout.detect())
            }
            spec.cgroup = cgroup
            let started = try ContainerLauncher.start(spec)
            if let listener = started.denialListener, let program = spec.seccomp {
                SeccompDenialMonitor.start(listener: listener, program: program) { denial in
                    FileHandle.standardError.write(Data("palisade: seccomp denied \(denial.syscall) (pid \(denial.pid))\n".utf8))
                }
            }
            let exit = await started.process.exit()
            if let cgroup {
                if cgroup.oomKills() > 0 { FileHandle.standardError.write(Data("palisade: container OOMKilled\n".utf8)) }
                cgroup.remove()
            }
            throw ExitCode(exit.code)
        }

        static func mount(_ text: String) throws -> ContainerMount {
            let parts = text.split(separator: ":").map(String.init)
            guard parts.count == 2 || (parts.count == 3 && parts[2] == "ro") else { throw ValidationError("--volume \(text): expected HOST:CONTAINER[:ro]") }
            return ContainerMount(source: parts[0], destination: parts[1], readOnly: parts.count == 3)
        }
    }
}
