import Foundation
import Glibc
@testable import PalisadeRuntime
import Synchronization
import Testing

/// Containers started from a busybox root, as root: what each isolation the launcher
/// promises looks like from inside (PID and mount namespaces, read-only and masked paths,
/// capabilities, no_new_privs, seccomp with its denial reports, a user namespace, cgroup
/// limits, a pod's shared network), and the errors it gives when it cannot start one.
@Suite(.enabled(if: BusyboxRoot.available, "needs root and static busybox")) struct ContainerLauncherTests {
    static let environment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/"]

    /// A spec for `arguments` in `root` with containerd's default capabilities and no seccomp.
    static func spec(_ root: BusyboxRoot, _ arguments: [String]) throws -> ContainerSpec {
        ContainerSpec(rootfs: root.rootfs, arguments: arguments, environment: environment, capabilities: try Capabilities.mask(add: [], drop: []))
    }

    /// A started container whose standard output and error go to one file.
    struct Running {
        let started: ContainerLauncher.Started
        let output: String

        var pid: pid_t { started.process.pid }

        /// Waits (bounded) for it to end; returns how it ended and what it wrote.
        func finish(within timeout: Duration = .seconds(20)) async -> (exit: ChildProcess.Exit, output: String) {
            let exit = await ContainerLauncherTests.exit(of: started.process, within: timeout)
            return (exit, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }

        /// Ends it: SIGKILL to its pid 1 takes its whole PID namespace down.
        func kill() async -> ChildProcess.Exit {
            Glibc.kill(pid, SIGKILL)
            return await finish().exit
        }
    }

    static func start(_ spec: ContainerSpec, in root: BusyboxRoot) throws -> Running {
        let output = "\(root.directory)/output-\(UUID().uuidString)"
        let file = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            close(file)
            close(null)
        }
        guard file >= 0, null >= 0 else { throw ContainerTestError("cannot open \(output) or /dev/null") }
        var spec = spec
        spec.standardStreams = (null, file, file)
        return Running(started: try ContainerLauncher.start(spec), output: output)
    }

    /// Runs `sh -c script` in a container of `root`, its spec changed by `configure`.
    static func run(
        _ script: String, in root: BusyboxRoot, _ configure: (inout ContainerSpec) throws -> Void = { _ in }
    ) async throws -> (exit: ChildProcess.Exit, output: String) {
        var spec = try spec(root, ["sh", "-c", script])
        try configure(&spec)
        return try await start(spec, in: root).finish()
    }

    /// A value shared with escaping closures.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>

        init(_ value: Value) {
            self.value = Mutex(value)
        }
    }

    /// Waits for a container to end, killing it (and its PID namespace) if it has not
    /// within `timeout`, which is then a test failure.
    static func exit(of process: ChildProcess, within timeout: Duration) async -> ChildProcess.Exit {
        let pid = process.pid
        let ended = Shared(false)
        let watchdog = Task {
            try? await Task.sleep(for: timeout)
            let killed = ended.value.withLock { ended in
                if !ended { Glibc.kill(pid, SIGKILL) }
                return !ended
            }
            if killed { Issue.record("container \(pid) still running after \(timeout): killed") }
        }
        // waitid with WNOWAIT leaves it unreaped, so the watchdog can never signal a reused pid.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                var info = siginfo_t()
                while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
                continuation.resume()
            }
            thread.stackSize = 64 * 1024
            thread.start()
        }
        ended.value.withLock { $0 = true }
        watchdog.cancel()
        return await process.exit()
    }

    /// The value of a `/proc/<pid>/status` field in `output`, e.g. `CapEff`.
    static func field(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("\(name):") }.map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    static func hex(_ mask: UInt64) -> String {
        let digits = String(mask, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    // MARK: Processes

    @Test func outputReachesTheGivenFilesAndExitCodesComeBack() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        var spec = try Self.spec(root, ["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"])
        let (stdout, stderr) = ("\(root.directory)/stdout", "\(root.directory)/stderr")
        let out = open(stdout, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let err = open(stderr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        spec.standardStreams = (-1, out, err)
        let started = try ContainerLauncher.start(spec)
        close(out)
        close(err)
        #expect(await Self.exit(of: started.process, within: .seconds(20)) == .exited(3))
        #expect(try String(contentsOfFile: stdout, encoding: .utf8) == "to-stdout\n")
        #expect(try String(contentsOfFile: stderr, encoding: .utf8) == "to-stderr\n")
        #expect(started.denialListener == nil, "no seccomp, no listener")
    }

    @Test func aKilledContainerEndsSignaledWithCode137() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let running = try Self.start(try Self.spec(root, ["sleep", "30"]), in: root)
        let exit = await running.kill()
        #expect(exit == .signaled(SIGKILL))
        #expect(exit.code == 137)
    }

    @Test func theContainerSeesOnlyItsOwnProcesses() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        // Not ps last: sh would exec it as pid 1.
        let (exit, output) = try await Self.run("echo self=$$; ps -o pid,comm; exit 0", in: root)
        #expect(exit == .exited(0), "\(output)")
        let lines = output.split(separator: "\n")
        #expect(lines.first == "self=1", "the command is pid 1")
        let processes = lines.dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(processes.first == ["1", "sh"], "\(output)")
        #expect(processes.count == 2 && processes.last?.last == "ps" && processes.allSatisfy { (Int($0[0]) ?? 99) < 10 }, "only sh and ps, not the host's: \(output)")
    }

    @Test func aMissingProgramIsAnExecError() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        #expect {
            _ = try Self.start(try Self.spec(root, ["no-such-program"]), in: root)
        } throws: { error in
            let text = (error as? ContainerError)?.description ?? ""
            return text.contains("exec") && text.contains("no-such-program") && text.contains("No such file or directory")
        }
    }

    // MARK: File systems

    @Test func aReadOnlyRootStillHasAWritableDevShm() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let (exit, output) = try await Self.run("touch /x; echo in-shm > /dev/shm/y && cat /dev/shm/y", in: root) { $0.readOnlyRootFilesystem = true }
        #expect(exit == .exited(0), "\(output)")
        #expect(output.contains("touch: /x: Read-only file system"), "\(output)")
        #expect(output.hasSuffix("in-shm\n"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: "\(root.rootfs)/x"))
    }

    @Test func volumesAreBoundAndAReadOnlyOneRefusesWrites() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let data = try root.makeDirectory("data", files: ["greeting": "hello from the host\n"])
        let config = try root.makeDirectory("config", files: ["setting": "on\n"])
        let (exit, output) = try await Self.run("cat /data/greeting /etc/app/setting; echo written > /data/out; echo no > /etc/app/out", in: root) {
            $0.mounts = [ContainerMount(source: data, destination: "/data", readOnly: false), ContainerMount(source: config, destination: "/etc/app", readOnly: true)]
        }
        #expect(exit == .exited(1), "the write to the read-only volume fails: \(output)")
        #expect(output.hasPrefix("hello from the host\non\n"), "\(output)")
        #expect(output.contains("/etc/app/out: Read-only file system"), "\(output)")
        #expect(try String(contentsOfFile: "\(data)/out", encoding: .utf8) == "written\n")
        #expect(!FileManager.default.fileExists(atPath: "\(config)/out"))
    }

    @Test func theContainersMountsStayOutOfTheHostsNamespace() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let volume = try root.makeDirectory("volume")
        var spec = try Self.spec(root, ["sleep", "30"])
        spec.mounts = [ContainerMount(source: volume, destination: "/data", readOnly: false)]
        let running = try Self.start(spec, in: root)
        let host = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let inside = (try? String(contentsOfFile: "/proc/\(running.pid)/mountinfo", encoding: .utf8)) ?? ""
        _ = await running.kill()
        let points = inside.split(separator: "\n").map { $0.split(separator: " ") }.filter { $0.count > 4 }.map { String($0[4]) }
        #expect(points.contains("/data"), "the volume is mounted inside: \(inside)")
        let ours = ["/proc", "/dev", "/sys"]
        #expect(points.allSatisfy { point in point == "/" || point == "/data" || ours.contains { point == $0 || point.hasPrefix($0 + "/") } },
                "the host's old root is detached: \(points)")
        #expect(!host.contains(root.directory), "nothing of the container is mounted on the host")
    }

    @Test func aMissingWorkingDirectoryIsAnError() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        var spec = try Self.spec(root, ["true"])
        spec.workingDirectory = "/no/such/directory"
        #expect {
            _ = try Self.start(spec, in: root)
        } throws: { error in
            ((error as? ContainerError)?.description ?? "").contains("No such file or directory")
        }
    }

    @Test func theEnvironmentAndWorkingDirectoryAreTheSpecs() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let (exit, output) = try await Self.run("echo \"$GREETING\"; pwd", in: root) {
            $0.environment += ["GREETING=hello there"]
            $0.workingDirectory = "/bin"
        }
        #expect(exit == .exited(0))
        #expect(output == "hello there\n/bin\n")
    }

    @Test func aMountThroughASymbolicLinkInTheImageIsRefused() throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        try FileManager.default.createSymbolicLink(atPath: "\(root.rootfs)/evil", withDestinationPath: "/etc")
        let volume = try root.makeDirectory("volume")
        let name = "palisade-test-\(UUID().uuidString)"
        var spec = try Self.spec(root, ["true"])
        spec.mounts = [ContainerMount(source: volume, destination: "/evil/\(name)", readOnly: false)]
        #expect {
            _ = try Self.start(spec, in: root)
        } throws: { error in
            ((error as? ContainerError)?.description ?? "").contains("symbolic link")
        }
        #expect(!FileManager.default.fileExists(atPath: "/etc/\(name)"), "nothing made on the host through the link")
    }

    @Test func kernelPathsAreMaskedAndProcSysIsReadOnly() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let script = """
            for path in /proc/kcore /proc/keys /proc/timer_list; do echo "$path $(cat $path 2>/dev/null | wc -c)"; done
            echo name > /proc/sys/kernel/hostname
            cat /proc/self/mountinfo
            """
        let (exit, output) = try await Self.run(script, in: root)
        #expect(exit == .exited(0), "\(output)")
        #expect(output.contains("/proc/kcore 0\n"), "absent or empty: \(output)")
        #expect(output.contains("/proc/keys 0\n"), "\(output)")
        #expect(output.contains("/proc/timer_list 0\n"), "\(output)")
        #expect(output.contains("/proc/sys/kernel/hostname: Read-only file system"), "\(output)")
        // Each read-only path this kernel has is a read-only mount (not written to: /proc/sysrq-trigger could reboot the host).
        let mounts = output.split(separator: "\n").map { $0.split(separator: " ") }.filter { $0.count > 5 }
        for path in StandardMounts.readOnlyPaths where FileManager.default.fileExists(atPath: path) {
            let options = mounts.last { $0[4] == path }?[5].split(separator: ",") ?? []
            #expect(options.contains("ro"), "\(path) is mounted read-only")
        }
        #expect(mounts.last { $0[4] == "/sys" }?[5].split(separator: ",").contains("ro") == true, "/sys is read-only")
    }

    @Test func aPrivilegedContainerSeesTheKernelPaths() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let host = ((try? String(contentsOfFile: "/proc/timer_list", encoding: .utf8)) ?? "").isEmpty
        let (exit, output) = try await Self.run("cat /proc/timer_list | wc -c", in: root) { $0.maskKernelPaths = false }
        #expect(exit == .exited(0))
        #expect(host || (Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "unmasked: \(output)")
    }

    // MARK: Privileges

    @Test func rootHasExactlyContainerdsDefaultCapabilities() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let (exit, output) = try await Self.run("cat /proc/self/status", in: root)
        #expect(exit == .exited(0))
        let expected = Self.hex(try Capabilities.mask(add: [], drop: []))
        #expect(expected == "00000000a80425fb", "containerd's default set")
        for name in ["CapEff", "CapPrm", "CapBnd"] {
            #expect(Self.field(name, in: output) == expected, "\(name) in \(output)")
        }
        #expect(Self.field("CapInh", in: output) == Self.hex(0) && Self.field("CapAmb", in: output) == Self.hex(0))
    }

    @Test func droppingAllLeavesNoCapabilities() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let (exit, output) = try await Self.run("cat /proc/self/status; chown 1 /dev/shm", in: root) {
            $0.capabilities = try Capabilities.mask(add: [], drop: ["ALL"])
        }
        #expect(exit == .exited(1), "chown without CAP_CHOWN fails")
        #expect(Self.field("CapEff", in: output) == Self.hex(0) && Self.field("CapBnd", in: output) == Self.hex(0), "\(output)")
        #expect(output.contains("Operation not permitted"), "\(output)")
    }

    @Test func aNonRootUserHasNoCapabilities() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let (exit, output) = try await Self.run("id; cat /proc/self/status", in: root) {
            $0.user = 1000
            $0.group = 1000
            $0.supplementaryGroups = [2000]
        }
        #expect(exit == .exited(0))
        #expect(output.hasPrefix("uid=1000 gid=1000 groups=2000"), "\(output)")
        #expect(Self.field("CapEff", in: output) == Self.hex(0) && Self.field("CapPrm", in: output) == Self.hex(0), "\(output)")
        #expect(Self.field("Uid", in: output)?.split(whereSeparator: \.isWhitespace) == ["1000", "1000", "1000", "1000"], "real, effective, saved, fs")
    }

    @Test func noNewPrivilegesIsSetUnlessTurnedOff() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let (_, on) = try await Self.run("cat /proc/self/status", in: root)
        #expect(Self.field("NoNewPrivs", in: on) == "1")
        let (_, off) = try await Self.run("cat /proc/self/status", in: root) { $0.noNewPrivileges = false }
        #expect(Self.field("NoNewPrivs", in: off) == "0")
    }

    // MARK: Seccomp

    static func runtimeDefault() throws -> SeccompProgram {
        try SeccompProgram(try SeccompProfileTests.load(), reportDenials: true)
    }

    @Test func deniedCallsFailAndAreReportedByName() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let program = try Self.runtimeDefault()
        var spec = try Self.spec(root, ["sh", "-c", "unshare -U true; mkdir -p /mnt; mount -t tmpfs x /mnt; grep Seccomp: /proc/self/status"])
        spec.seccomp = program
        let running = try Self.start(spec, in: root)
        let listener = try #require(running.started.denialListener)
        let reported = Shared<[String]>([])
        SeccompDenialMonitor.start(listener: listener, program: program) { denial in reported.value.withLock { $0.append(denial.syscall) } }
        let (exit, output) = await running.finish()
        #expect(exit == .exited(0), "\(output)")
        #expect(output.contains("unshare(0x10000000): Operation not permitted"), "\(output)")
        // busybox words EPERM from mount(2) its own way.
        #expect(output.contains("mount: permission denied"), "\(output)")
        #expect(Self.field("Seccomp", in: output) == "2", "a filter is loaded")
        // The monitor answers a call before reporting it: the report may come just after the exit.
        for _ in 0..<100 where !reported.value.withLock({ Set($0).isSuperset(of: ["unshare", "mount"]) }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let names = reported.value.withLock { $0 }
        #expect(names.contains("unshare") && names.contains("mount"), "reported: \(names)")
    }

    @Test func withoutNoNewPrivilegesTheFilterIsStillLoaded() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let program = try SeccompProgram(try SeccompProfileTests.load(), reportDenials: false)
        let (exit, output) = try await Self.run("grep -E 'Seccomp:|NoNewPrivs:|CapEff:' /proc/self/status; unshare -U true", in: root) {
            $0.noNewPrivileges = false
            $0.seccomp = program
        }
        #expect(exit == .exited(1), "\(output)")
        #expect(Self.field("NoNewPrivs", in: output) == "0" && Self.field("Seccomp", in: output) == "2", "\(output)")
        #expect(Self.field("CapEff", in: output) == Self.hex(try Capabilities.mask(add: [], drop: [])), "loaded before the capabilities were dropped")
        #expect(output.contains("Operation not permitted"), "\(output)")
    }

    // MARK: User namespace

    @Test func inAUserNamespaceRootIsAnUnprivilegedHostUser() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let host = try root.makeDirectory("host", files: ["owned-by-root": "original\n"])
        #expect(chmod("\(host)/owned-by-root", 0o644) == 0)
        let (exit, output) = try await Self.run("cat /proc/self/uid_map /proc/self/gid_map; id; echo changed >> /host/owned-by-root", in: root) {
            $0.userNamespace = (100_000, 65536)
            $0.mounts = [ContainerMount(source: host, destination: "/host", readOnly: false)]
        }
        #expect(exit == .exited(1), "\(output)")
        let maps = output.split(separator: "\n").prefix(2).map { $0.split(whereSeparator: \.isWhitespace) }
        #expect(maps == [["0", "100000", "65536"], ["0", "100000", "65536"]], "\(output)")
        #expect(output.contains("uid=0 gid=0"), "root inside: \(output)")
        #expect(output.contains("Permission denied"), "\(output)")
        #expect(try String(contentsOfFile: "\(host)/owned-by-root", encoding: .utf8) == "original\n")
    }

    // MARK: Cgroups

    /// Runs `body` with a new cgroup, removed afterwards (its processes killed first, if any are left).
    static func withCgroup(_ limits: CgroupLimits, _ body: (Cgroup) async throws -> Void) async throws {
        let layout = try CgroupLayout.detect()
        let name = "palisade-test-\(UUID().uuidString)"
        let cgroup = try Cgroup.create(name, limits: limits, layout: layout)
        do {
            try await body(cgroup)
        } catch {
            await remove(cgroup, layout: layout)
            throw error
        }
        await remove(cgroup, layout: layout)
    }

    static func remove(_ cgroup: Cgroup, layout: CgroupLayout) async {
        let tree = CgroupTree(cgroup.name, layout: layout)
        tree.killAll()
        for _ in 0..<100 where !cgroup.processes().isEmpty { try? await Task.sleep(for: .milliseconds(20)) }
        tree.remove()
    }

    @Test(.enabled(if: CgroupTests.canManageCgroups)) func aPidsLimitStopsALoopOfBackgroundProcesses() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        try await Self.withCgroup(CgroupLimits(pids: 8)) { cgroup in
            let (exit, output) = try await Self.run("cat /proc/self/cgroup; for i in $(seq 20); do sleep 30 & done; echo all started", in: root) {
                $0.cgroup = cgroup
            }
            #expect(exit != .exited(0), "\(output)")
            #expect(output.contains("can't fork") && !output.contains("all started"), "\(output)")
            #expect(!output.contains(cgroup.name), "a cgroup namespace hides the host's cgroup paths: \(output)")
            #expect(cgroup.processes().isEmpty, "its pid 1 ended, and the sleeps with it")
        }
    }

    @Test(.enabled(if: CgroupTests.canManageCgroups)) func aMemoryHogIsOOMKilled() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        try await Self.withCgroup(CgroupLimits(memoryBytes: 32 << 20, pids: 64)) { cgroup in
            var spec = try Self.spec(root, ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"])
            spec.cgroup = cgroup
            let (exit, output) = try await Self.start(spec, in: root).finish()
            #expect(exit == .signaled(SIGKILL), "\(output)")
            #expect(cgroup.oomKills() > 0)
        }
    }

    // MARK: Pod sandbox

    static func withSandbox(hostname: String, _ body: (PodSandbox) async throws -> Void) async throws {
        let sandbox = try PodSandbox(hostname: hostname, cgroup: nil)
        do {
            try await body(sandbox)
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    @Test func containersOfAPodShareItsNetworkAndHostname() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let script = "readlink /proc/self/ns/net; readlink /proc/self/ns/uts; hostname"
        let host = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        try await Self.withSandbox(hostname: "pod-a") { sandbox in
            let sandboxNetwork = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(sandbox.pid)/ns/net")
            let first = try await Self.run(script, in: root) { $0.sandbox = sandbox }
            let second = try await Self.run(script, in: root) { $0.sandbox = sandbox }
            let alone = try await Self.run(script, in: root) { $0.hostname = "alone" }
            #expect(first.exit == .exited(0) && second.exit == .exited(0), "\(first.output) \(second.output)")
            #expect(first.output == second.output, "one network and UTS namespace")
            #expect(first.output.hasPrefix("\(sandboxNetwork)\n") && first.output.hasSuffix("pod-a\n"), "\(first.output)")
            #expect(sandboxNetwork != host)
            #expect(!alone.output.hasPrefix("\(sandboxNetwork)\n") && !alone.output.hasPrefix("\(host)\n"), "a container on its own has its own network")
            #expect(alone.output.hasSuffix("alone\n"), "\(alone.output)")
        }
    }

    /// errno of a TCP connection to the host's 127.0.0.1:`port`, 0 when it connected.
    static func hostConnectError(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port).bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 ? 0 : errno
    }

    /// Reads from `fd` until a newline, end of file, or five seconds.
    static func readLine(_ fd: Int32) -> String {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while !data.contains(UInt8(ascii: "\n")) {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            data += buffer.prefix(count)
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aPodsListenerIsReachableInItsNetworkOnly() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        // A port nothing on the host listens on.
        let port = try #require((0..<20).lazy.map { _ in Int.random(in: 20000..<60000) }.first { Self.hostConnectError(port: $0) == ECONNREFUSED })
        try await Self.withSandbox(hostname: "pod-b") { sandbox in
            var spec = try Self.spec(root, ["sh", "-c", "echo hello-from-the-pod | nc -l -p \(port)"])
            spec.sandbox = sandbox
            let listener = try Self.start(spec, in: root)
            var fd: Int32 = -1
            for _ in 0..<100 {
                do {
                    fd = try await sandbox.connect(port: port, timeout: .seconds(1))
                    break
                } catch {
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            let line = fd >= 0 ? Self.readLine(fd) : ""
            let hostError = Self.hostConnectError(port: port)
            if fd >= 0 { close(fd) }
            _ = await listener.kill()
            #expect(fd >= 0, "the listener was reached through the sandbox")
            #expect(line == "hello-from-the-pod\n", "and it was the container's")
            #expect(hostError == ECONNREFUSED, "the host's loopback is another network: \(String(cString: strerror(hostError)))")
        }
    }

    // MARK: Entering a running container

    /// An exec probe's command runs inside the container: its tmpfs (made after the start, so
    /// only its mount namespace has it), its processes, and nothing mounted anew.
    @Test func aCommandEntersTheRunningContainer() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let marker = "\(root.rootfs)/ready"
        var spec = try Self.spec(root, ["sh", "-c", "mkdir -p /scratch && mount -t tmpfs t /scratch && echo inside > /scratch/mark && touch /ready && sleep 30"])
        spec.capabilities = try Capabilities.mask(add: ["SYS_ADMIN"], drop: [])
        let container = try Self.start(spec, in: root)
        defer { Task { _ = await container.kill() } }
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: marker), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try #require(FileManager.default.fileExists(atPath: marker), "the container got ready")

        var probe = try Self.spec(root, ["sh", "-c", "cat /scratch/mark && ps -o args | grep '^sleep 30'"])
        probe.enter = container.pid
        let (exit, output) = try await Self.start(probe, in: root).finish()
        #expect(exit == .exited(0), "\(output)")
        #expect(output.hasPrefix("inside\n"), "the container's own tmpfs is seen: \(output)")
        #expect(!FileManager.default.fileExists(atPath: "\(root.rootfs)/scratch/mark"), "that tmpfs is the container's, not the host directory's")
    }

    // MARK: Descriptors

    @Test func theAgentsOpenFilesDoNotReachTheContainer() async throws {
        let root = try BusyboxRoot()
        defer { root.remove() }
        let secret = try root.makeDirectory("agent", files: ["secret": "agent secret\n"])
        // A descriptor the agent opened without O_CLOEXEC (a library may): runc closes
        // every descriptor above 2 before exec.
        let inherited = open("\(secret)/secret", O_RDONLY)
        try #require(inherited >= 0)
        defer { close(inherited) }
        let (exit, output) = try await Self.run("ls /proc/self/fd; cat /proc/self/fd/\(inherited)", in: root)
        #expect(exit == .exited(1), "\(output)")
        #expect(!output.contains("agent secret"), "\(output)")
        let open = output.split(separator: "\n").compactMap { Int($0) }
        #expect(open.allSatisfy { $0 <= 3 }, "0, 1, 2 and ls's own: \(open)")
    }
}
