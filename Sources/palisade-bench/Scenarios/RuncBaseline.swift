import Foundation
import Glibc
import PalisadeAPI

/// The baseline of `palisade-bench runtime`: `runc run` of a bundle whose process is
/// `/bin/true` in a given root filesystem, timed from spawning runc to its exit (create,
/// start, the process's run and exit, and runc's cleanup of the container).
///
/// The bundle's `config.json` is `runc spec`'s default (its own pid, network, ipc, uts and
/// mount namespaces, runc's default capabilities, masked and read-only paths, a cgroup
/// per container, no seccomp filter) with `process.args` ["/bin/true"], no terminal, and
/// the root filesystem read-only at `rootfs`. runc keeps its state under `scratch` (`--root`),
/// not in /run/runc.
struct RuncBaseline {
    /// The runc binary, resolved to an absolute path once.
    let runc: String
    let bundle: String
    let stateRoot: String
    let rootfs: String

    /// Writes the bundle under `scratch` (a directory that exists and is this baseline's).
    init(rootfs: String, scratch: String, runc: String = "runc") throws {
        guard let resolved = Self.executable(runc) else { throw RuntimeBenchError("\(runc): not found (apt-get install runc, or make deps)") }
        self.runc = resolved
        self.rootfs = rootfs
        bundle = "\(scratch)/runc-bundle"
        stateRoot = "\(scratch)/runc-state"
        for directory in [bundle, stateRoot] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let status = try Self.spawnAndWait([resolved, "spec", "--bundle", bundle], stderr: "\(bundle)/runc-spec.stderr")
        guard status == 0 else { throw RuntimeBenchError("runc spec failed (\(Self.describe(status))): \(Self.text(of: "\(bundle)/runc-spec.stderr"))") }
        let configPath = "\(bundle)/config.json"
        guard let data = FileManager.default.contents(atPath: configPath) else { throw RuntimeBenchError("runc spec wrote no \(configPath)") }
        var config = try JSONParser.parse(Array(data))
        config[path: ["process", "args"]] = ["/bin/true"]
        config[path: ["process", "terminal"]] = false
        config["root"] = ["path": .string(rootfs), "readonly": true]
        guard FileManager.default.createFile(atPath: configPath, contents: Data(JSONSerializer.bytes(config))) else {
            throw RuntimeBenchError("cannot write \(configPath)")
        }
    }

    /// One `runc run` of the bundle as container `id`: its wall time from spawn to exit.
    func run(id: String) throws -> Duration {
        let errors = "\(bundle)/runc-run.stderr"
        let clock = ContinuousClock()
        let began = clock.now
        let status = try Self.spawnAndWait([runc, "--root", stateRoot, "run", "--bundle", bundle, id], stderr: errors)
        let elapsed = clock.now - began
        guard status == 0 else { throw RuntimeBenchError("runc run \(id) failed (\(Self.describe(status))): \(Self.text(of: errors))") }
        return elapsed
    }

    /// `runs` sequential runs, each container with its own id; the sample durations in order.
    func measure(runs: Int) throws -> [Duration] {
        let prefix = "palisade-bench-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        var samples: [Duration] = []
        samples.reserveCapacity(runs)
        for index in 0..<runs {
            samples.append(try run(id: "\(prefix)-\(index)"))
        }
        return samples
    }

    /// `runc --version`'s first line ("runc version 1.1.5+ds1").
    func version() -> String {
        let output = "\(bundle)/runc-version.stdout"
        guard (try? Self.spawnAndWait([runc, "--version"], stdout: output, stderr: "/dev/null")) == 0 else { return "runc" }
        return Self.text(of: output).split(separator: "\n").first.map(String.init) ?? "runc"
    }

    // MARK: Processes

    /// Spawns `arguments` (the first an absolute path) with standard input on /dev/null,
    /// standard output into the file `stdout` (/dev/null by default) and standard error into
    /// the file `stderr`; waits and returns the wait status.
    static func spawnAndWait(_ arguments: [String], stdout: String = "/dev/null", stderr: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw RuntimeBenchError("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw RuntimeBenchError("waitpid \(pid): \(String(cString: strerror(errno)))") }
        }
        return status
    }

    /// "exit status N" or "signal N" for a wait status.
    static func describe(_ status: Int32) -> String {
        status & 0x7f == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"
    }

    /// `name` if it has a slash, else its first executable match on PATH.
    static func executable(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    static func text(of path: String) -> String {
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "(no output)" : text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An error of `palisade-bench runtime`, printed as it is.
struct RuntimeBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
