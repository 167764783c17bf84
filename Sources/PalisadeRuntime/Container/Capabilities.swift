/// Linux capabilities by name, and the set a container gets: containerd's default, then the
/// pod's `securityContext.capabilities` (`drop` first, `ALL` allowed in both, as the CRI does).
public enum Capabilities {
    /// The kernel's numbering (linux/capability.h), without the `CAP_` prefix.
    public static let numbers: [String: Int] = [
        "CHOWN": 0, "DAC_OVERRIDE": 1, "DAC_READ_SEARCH": 2, "FOWNER": 3, "FSETID": 4, "KILL": 5, "SETGID": 6,
        "SETUID": 7, "SETPCAP": 8, "LINUX_IMMUTABLE": 9, "NET_BIND_SERVICE": 10, "NET_BROADCAST": 11, "NET_ADMIN": 12,
        "NET_RAW": 13, "IPC_LOCK": 14, "IPC_OWNER": 15, "SYS_MODULE": 16, "SYS_RAWIO": 17, "SYS_CHROOT": 18,
        "SYS_PTRACE": 19, "SYS_PACCT": 20, "SYS_ADMIN": 21, "SYS_BOOT": 22, "SYS_NICE": 23, "SYS_RESOURCE": 24,
        "SYS_TIME": 25, "SYS_TTY_CONFIG": 26, "MKNOD": 27, "LEASE": 28, "AUDIT_WRITE": 29, "AUDIT_CONTROL": 30,
        "SETFCAP": 31, "MAC_OVERRIDE": 32, "MAC_ADMIN": 33, "SYSLOG": 34, "WAKE_ALARM": 35, "BLOCK_SUSPEND": 36,
        "AUDIT_READ": 37, "PERFMON": 38, "BPF": 39, "CHECKPOINT_RESTORE": 40,
    ]

    /// containerd's default set for a container.
    public static let containerDefault = [
        "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP",
        "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
    ]

    /// The set as a bit mask: the default without `drop`, with `add`. An unknown name is an
    /// error naming it.
    public static func mask(add: [String], drop: [String]) throws(ContainerError) -> UInt64 {
        func bits(_ names: [String]) throws(ContainerError) -> UInt64 {
            var mask: UInt64 = 0
            for name in names {
                let bare = name.uppercased().hasPrefix("CAP_") ? String(name.uppercased().dropFirst(4)) : name.uppercased()
                if bare == "ALL" { return numbers.values.reduce(0) { $0 | (1 << UInt64($1)) } }
                guard let number = numbers[bare] else { throw ContainerError("unknown capability \"\(name)\"") }
                mask |= 1 << UInt64(number)
            }
            return mask
        }
        return (try bits(containerDefault) & ~(try bits(drop))) | (try bits(add))
    }
}

/// Why a container could not be made or started.
public struct ContainerError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
