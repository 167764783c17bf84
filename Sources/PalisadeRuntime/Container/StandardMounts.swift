import Glibc

/// The file systems every container gets, and the paths hidden or made read-only in them,
/// as runc and containerd set them up.
enum StandardMounts {
    struct FileSystem {
        let destination: String
        let type: String
        let flags: UInt
        let data: String?
        let readOnly: Bool
    }

    private static let hardened = UInt(MS_NOSUID | MS_NOEXEC | MS_NODEV)

    static let fileSystems = [
        FileSystem(destination: "/proc", type: "proc", flags: hardened, data: nil, readOnly: false),
        // nodev: the few devices a container gets are bound in from the host (the C launcher).
        FileSystem(destination: "/dev", type: "tmpfs", flags: UInt(MS_NOSUID | MS_NODEV | MS_STRICTATIME), data: "mode=755,size=65536k", readOnly: false),
        FileSystem(destination: "/dev/pts", type: "devpts", flags: UInt(MS_NOSUID | MS_NOEXEC), data: "newinstance,ptmxmode=0666,mode=0620,gid=5", readOnly: false),
        FileSystem(destination: "/dev/shm", type: "tmpfs", flags: hardened, data: "mode=1777,size=65536k", readOnly: false),
        FileSystem(destination: "/dev/mqueue", type: "mqueue", flags: hardened, data: nil, readOnly: false),
        FileSystem(destination: "/sys", type: "sysfs", flags: hardened, data: nil, readOnly: true),
    ]

    /// Hidden behind an empty read-only tmpfs or /dev/null: kernel memory, keys, timers.
    static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    static let readOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
}
