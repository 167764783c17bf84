import Glibc

/// Where and how the agent materialises pod volumes. The defaults are the safe ones.
public struct PodVolumeConfiguration: Sendable, Equatable {
    /// Where PersistentVolumeClaims live: each claim is the directory
    /// `<localVolumesRoot>/<namespace>/<claimName>`, created on first use and kept when pods
    /// go (it is the claim's data). There is no provisioner: every claim binds to its directory.
    public var localVolumesRoot: String
    /// Mount tmpfs file systems for secret volumes and `medium: Memory` emptyDirs; needs root.
    public var mountsTmpfs: Bool
    /// For tests without root only: lets secret volumes be plain directories on disk when no
    /// tmpfs can be mounted. Off, a secret volume without tmpfs is an error.
    public var allowDiskSecrets: Bool

    public init(localVolumesRoot: String = "/var/lib/palisade/volumes", mountsTmpfs: Bool = getuid() == 0, allowDiskSecrets: Bool = false) {
        self.localVolumesRoot = localVolumesRoot
        self.mountsTmpfs = mountsTmpfs
        self.allowDiskSecrets = allowDiskSecrets
    }
}
