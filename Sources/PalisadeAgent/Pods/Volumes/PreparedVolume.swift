/// One pod volume made ready on the host.
public struct PreparedVolume: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case emptyDir, configMap, secret, persistentVolumeClaim, hostPath
    }

    /// The name in `spec.volumes`.
    public var name: String
    public var kind: Kind
    /// The host directory (or, for a hostPath, the file) containers bind.
    public var hostPath: String
    /// Every mount of it is read-only (ConfigMaps, Secrets, read-only claims), whatever the volumeMount says.
    public var readOnly: Bool
    /// A tmpfs is mounted on ``hostPath``.
    public var isTmpfs: Bool
    /// It should be a tmpfs (`medium: Memory`) but the agent could not mount one; the caller may.
    public var wantsTmpfs: Bool

    public init(name: String, kind: Kind, hostPath: String, readOnly: Bool = false, isTmpfs: Bool = false, wantsTmpfs: Bool = false) {
        self.name = name
        self.kind = kind
        self.hostPath = hostPath
        self.readOnly = readOnly
        self.isTmpfs = isTmpfs
        self.wantsTmpfs = wantsTmpfs
    }
}
