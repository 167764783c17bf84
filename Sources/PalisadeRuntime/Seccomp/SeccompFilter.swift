import CSeccomp
import Glibc

/// A ``SeccompProfile`` compiled by libseccomp for the architectures it names (this
/// machine's always among them). System calls this libseccomp does not know on any of them
/// are left out (they fall to the default action) and listed in ``unknownNames``.
public final class SeccompFilter {
    private let context: scmp_filter_ctx
    public private(set) var unknownNames: [String] = []
    /// With `reportDenials`, the error each denied system call (by number) is answered with.
    public private(set) var denialErrors: [Int32: Int32] = [:]

    /// - Parameter reportDenials: calls the profile fails with an error go to a listener
    ///   instead (``SeccompDenialMonitor``), which logs them and answers with that error.
    public init(_ profile: SeccompProfile, reportDenials: Bool = false) throws(SeccompFilterError) {
        let defaultAction = Self.code(profile.defaultAction)
        guard let context = seccomp_init(defaultAction) else { throw SeccompFilterError("libseccomp could not start a filter") }
        self.context = context
        for name in profile.architectures {
            let token = seccomp_arch_resolve_name(Self.libseccompName(of: name))
            guard token != 0 else { continue }
            let result = seccomp_arch_add(context, token)
            guard result == 0 || result == -EEXIST else { throw SeccompFilterError("architecture \(name): \(Self.describe(result))") }
        }
        for (index, rule) in profile.rules.enumerated() {
            var action = Self.code(rule.action)
            // A rule doing what the default does changes nothing (and libseccomp refuses it).
            guard action != defaultAction else { continue }
            var answer: Int32?
            if reportDenials, case .errno(let code) = rule.action {
                action = Self.notify
                answer = Int32(code)
            }
            let conditions = rule.conditions.map { condition in
                scmp_arg_cmp(arg: UInt32(condition.index), op: Self.code(condition.op), datum_a: condition.value, datum_b: condition.valueTwo)
            }
            for name in rule.names {
                let number = seccomp_syscall_resolve_name(name)
                guard number != __NR_SCMP_ERROR else {
                    unknownNames.append(name)
                    continue
                }
                let result = conditions.withUnsafeBufferPointer { buffer in
                    seccomp_rule_add_array(context, action, number, UInt32(buffer.count), buffer.baseAddress)
                }
                guard result == 0 else { throw SeccompFilterError("syscalls[\(index)] \(name): \(Self.describe(result))") }
                if let answer, denialErrors[number] == nil { denialErrors[number] = answer }
            }
        }
    }

    deinit { seccomp_release(context) }

    /// Sets `no_new_privs` and loads the filter into the calling thread; what it then runs
    /// (after `exec`) is confined for good.
    public func load() throws(SeccompFilterError) {
        guard palisade_set_no_new_privs() == 0 else { throw SeccompFilterError("no_new_privs: \(String(cString: strerror(errno)))") }
        let result = seccomp_load(context)
        guard result == 0 else { throw SeccompFilterError("loading the filter: \(Self.describe(result))") }
    }

    /// The filter as the kernel takes it (an array of `struct sock_filter`), for a process
    /// that loads it itself between fork and exec.
    public func program() throws(SeccompFilterError) -> [UInt8] {
        guard let stream = tmpfile() else { throw SeccompFilterError("temporary file: \(String(cString: strerror(errno)))") }
        defer { fclose(stream) }
        let file = fileno(stream)
        let result = seccomp_export_bpf(context, file)
        guard result == 0 else { throw SeccompFilterError("exporting the filter: \(Self.describe(result))") }
        let size = Int(lseek(file, 0, SEEK_END))
        var bytes = [UInt8](repeating: 0, count: size)
        let read = bytes.withUnsafeMutableBytes { pread(file, $0.baseAddress, size, 0) }
        guard read == size else { throw SeccompFilterError("reading the exported filter") }
        return bytes
    }

    /// The name of system call `number` on this machine.
    public static func name(ofSyscall number: Int32) -> String {
        // Architecture 0 is the native one.
        guard let name = seccomp_syscall_resolve_num_arch(0, number) else { return "syscall \(number)" }
        defer { free(name) }
        return String(cString: name)
    }

    private static let notify: UInt32 = 0x7fc0_0000

    static func code(_ action: SeccompProfile.Action) -> UInt32 {
        switch action {
        case .allow: 0x7fff_0000
        case .log: 0x7ffc_0000
        case .trap: 0x0003_0000
        case .errno(let code): 0x0005_0000 | (UInt32(code) & 0xffff)
        case .killThread: 0x0000_0000
        case .killProcess: 0x8000_0000
        }
    }

    static func code(_ op: SeccompProfile.Condition.Operator) -> scmp_compare {
        switch op {
        case .notEqual: SCMP_CMP_NE
        case .lessThan: SCMP_CMP_LT
        case .lessOrEqual: SCMP_CMP_LE
        case .equal: SCMP_CMP_EQ
        case .greaterOrEqual: SCMP_CMP_GE
        case .greaterThan: SCMP_CMP_GT
        case .maskedEqual: SCMP_CMP_MASKED_EQ
        }
    }

    /// `SCMP_ARCH_X86_64` → `x86_64`, as libseccomp names architectures.
    static func libseccompName(of name: String) -> String {
        String(name.dropFirst("SCMP_ARCH_".count)).lowercased()
    }

    private static func describe(_ result: Int32) -> String {
        String(cString: strerror(-result))
    }
}

public struct SeccompFilterError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
