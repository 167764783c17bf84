import Foundation
@testable import PalisadeRuntime
import Testing

/// Profiles parse strictly, and the default profile says what Palisade promises.
@Suite struct SeccompProfileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let runtimeDefault = repository.appendingPathComponent("policies/seccomp/runtime-default.json").path

    static func load() throws -> SeccompProfile {
        try SeccompProfile(json: String(contentsOfFile: runtimeDefault, encoding: .utf8))
    }

    @Test func mistakesAreRefusedWithTheirField() {
        func error(_ json: String) -> String? {
            do {
                _ = try SeccompProfile(json: json)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(error(#"{"defaultAction": "SCMP_ACT_ALOW"}"#) == "defaultAction: unknown action \"SCMP_ACT_ALOW\"")
        #expect(error(#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "op": "SCMP_CMP_EQUAL"}]}]}"#)?
            .hasPrefix("syscalls[0].args[0].op: must be one of") == true)
        #expect(error(#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": [], "action": "SCMP_ACT_ALLOW"}]}"#)
            == "syscalls[0].names: at least one system call name is required")
        #expect(error(#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}"#)
            == "syscalls[0].includes: unknown field", "a condition Palisade does not apply is not silently dropped")
        #expect(error(#"{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_PDP11"]}"#)?.hasPrefix("architectures[0]") == true)
    }

    @Test func theDefaultProfileDeniesWhatPalisadePromises() throws {
        let profile = try Self.load()
        #expect(profile.defaultAction == .errno(38), "system calls it does not name answer ENOSYS")
        func actions(_ name: String) -> [SeccompProfile.Action] {
            profile.rules.filter { $0.names.contains(name) }.map(\.action)
        }
        let denied = [
            "mount", "umount2", "unshare", "setns", "keyctl", "add_key", "request_key", "bpf", "kexec_load", "init_module", "finit_module",
            "delete_module", "reboot", "swapon", "swapoff", "pivot_root", "open_by_handle_at", "perf_event_open", "userfaultfd",
            "io_uring_setup", "io_uring_enter", "io_uring_register",
        ]
        for name in denied { #expect(actions(name) == [.errno(1)], "\(name)") }
        #expect(actions("clone3") == [.errno(38)])
        #expect(actions("clone").contains(.allow) && actions("clone").filter { $0 == .errno(1) }.count == 7, "clone with any namespace flag is EPERM")
        #expect(try SeccompFilter(profile).unknownNames.isEmpty, "every name is known to this machine's libseccomp")
    }
}
