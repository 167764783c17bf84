import Foundation

/// Where and how the audit log is written. The defaults are Kubernetes' for the log backend
/// (100 MB files, 100 backups, 366 days), with a checkpoint of the chain head every minute.
public struct AuditLogConfiguration: Sendable {
    public var path: String
    /// Rotate when a file would grow past this many bytes; 0 never rotates.
    public var maxSize: Int = 100 * 1024 * 1024
    /// Rotated files kept; 0 keeps any number.
    public var maxBackups: Int = 100
    /// Days a rotated file is kept; 0 keeps it regardless of age.
    public var maxAgeDays: Int = 366
    /// The signed checkpoint of the chain head, rewritten every `checkpointInterval` when
    /// the log grew, and on shutdown.
    public var checkpointPath: String
    public var checkpointInterval: Duration = .seconds(60)
    /// How often a failing log is tried again.
    public var retryInterval: Duration = .milliseconds(250)

    public init(path: String, checkpointPath: String? = nil) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        self.checkpointPath = checkpointPath ?? (directory.isEmpty ? "" : directory + "/") + "audit-checkpoint.json"
    }
}
