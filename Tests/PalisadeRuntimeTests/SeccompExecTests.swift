import Foundation
import Testing

/// Commands run under the default profile (`palisade seccomp exec`): what it denies fails
/// with the promised errno, and ordinary programs (a shell, Python with threads) still run.
@Suite struct SeccompExecTests {
    static let palisade = SeccompProfileTests.repository.appendingPathComponent(".build/debug/palisade").path
    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    /// Runs `arguments` confined; returns its exit status and standard output.
    static func confined(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: palisade)
        process.arguments = ["seccomp", "exec", "--profile", SeccompProfileTests.runtimeDefault, "--"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The errno each x86-64 system call number gets (0 for success), from Python's ctypes.
    static func errnos(_ calls: [(String, String)]) throws -> [String: Int] {
        let probes = calls.map { name, call in "r = libc.syscall(\(call)); e = ctypes.get_errno() if r < 0 else 0\nif r == 0 and \(name.hasPrefix("clone") ? "True" : "False"): os._exit(0)\nprint('\(name)', e)" }
        let script = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n" + probes.joined(separator: "\n")
        let (status, output) = try confined([python, "-c", script])
        #expect(status == 0, "python under the profile: \(output)")
        var result: [String: Int] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { result[String(parts[0])] = Int(parts[1]) }
        }
        return result
    }

    @Test(.enabled(if: isX86_64)) func deniedCallsFailWithEPERMAndUnknownOnesWithENOSYS() throws {
        let eperm = 1, enosys = 38
        let results = try Self.errnos([
            ("mount", "165, 0, 0, 0, 0"), ("umount2", "166, 0, 0"), ("unshare", "272, 0x10000000"), ("setns", "308, -1, 0"),
            ("keyctl", "250, 0, 0, 0, 0, 0"), ("add_key", "248, 0, 0, 0, 0, 0"), ("bpf", "321, 0, 0, 0"), ("init_module", "175, 0, 0, 0"),
            ("finit_module", "313, -1, 0, 0"), ("reboot", "169, 0, 0, 0, 0"), ("pivot_root", "155, 0, 0"),
            ("open_by_handle_at", "304, -1, 0, 0"), ("perf_event_open", "298, 0, 0, 0, -1, 0"), ("userfaultfd", "323, 0"),
            ("io_uring_setup", "425, 1, 0"), ("clone_newuser", "56, 0x10000011, 0, 0, 0, 0"),
            ("clone3", "435, 0, 0"), ("migrate_pages", "256, 0, 0, 0, 0"),
        ])
        for name in ["mount", "umount2", "unshare", "setns", "keyctl", "add_key", "bpf", "init_module", "finit_module", "reboot",
                     "pivot_root", "open_by_handle_at", "perf_event_open", "userfaultfd", "io_uring_setup", "clone_newuser"] {
            #expect(results[name] == eperm, "\(name): \(results[name].map(String.init) ?? "no answer")")
        }
        #expect(results["clone3"] == enosys, "clone3 answers ENOSYS so glibc falls back to clone")
        #expect(results["migrate_pages"] == enosys, "a call the profile does not name answers ENOSYS")
    }

    @Test func ordinaryProgramsStillRun() throws {
        #expect(try Self.confined(["/bin/sh", "-c", "echo hello; ls / >/dev/null && echo listed"]) == (0, "hello\nlisted\n"))
        let threads = "import threading; t = threading.Thread(target=lambda: print('in a thread')); t.start(); t.join()"
        #expect(try Self.confined([Self.python, "-c", threads]) == (0, "in a thread\n"), "threads start although clone3 is refused")
        let unshare = try Self.confined(["/bin/sh", "-c", "unshare -U true 2>/dev/null || echo refused"])
        #expect(unshare.output == "refused\n")
    }
}

#if arch(x86_64)
let isX86_64 = true
#else
let isX86_64 = false
#endif
