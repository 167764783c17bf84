import Foundation

/// The files of one log: the current file and its rotated backups beside it, named as
/// Kubernetes' log backend (lumberjack) names them: `audit-2026-11-28T19-16-02.123.log`.
public struct AuditLogFiles: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    private var directory: String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    private var nameParts: (stem: String, ext: String) {
        let name = (path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension
        return ((name as NSString).deletingPathExtension, ext.isEmpty ? "" : "." + ext)
    }

    /// The backup name for a rotation at `date` (UTC, milliseconds, so names sort by time).
    public func backupPath(at date: Date) -> String {
        var parts = tm()
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        gmtime_r(&time, &parts)
        let millis = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1000)
        let stamp = String(
            format: "%04d-%02d-%02dT%02d-%02d-%02d.%03d",
            parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, Int32(millis)
        )
        return directory + "/" + nameParts.stem + "-" + stamp + nameParts.ext
    }

    /// Rotated backups, oldest first.
    public func backups() -> [String] {
        let (stem, ext) = nameParts
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard name.hasPrefix(stem + "-"), name.hasSuffix(ext) else { return false }
            let stamp = name.dropFirst(stem.count + 1).dropLast(ext.count)
            return stamp.count == 23 && stamp.allSatisfy { $0.isNumber || "-T.".contains($0) }
        }.sorted().map { directory + "/" + $0 }
    }

    /// Every file of the log in chain order: the backups, oldest first, then the current file.
    public func all() -> [String] {
        backups() + (FileManager.default.fileExists(atPath: path) ? [path] : [])
    }

    /// Removes backups beyond `maxBackups` (0: keep any number) and those rotated more than
    /// `maxAgeDays` ago (0: no age limit).
    func prune(maxBackups: Int, maxAgeDays: Int, now: Date = Date()) {
        var backups = backups()
        if maxBackups > 0 && backups.count > maxBackups {
            for old in backups.prefix(backups.count - maxBackups) { try? FileManager.default.removeItem(atPath: old) }
            backups.removeFirst(backups.count - maxBackups)
        }
        guard maxAgeDays > 0 else { return }
        let cutoff = now.addingTimeInterval(-Double(maxAgeDays) * 86400)
        for backup in backups {
            let modified = (try? FileManager.default.attributesOfItem(atPath: backup)[.modificationDate] as? Date) ?? now
            if modified < cutoff { try? FileManager.default.removeItem(atPath: backup) }
        }
    }
}
