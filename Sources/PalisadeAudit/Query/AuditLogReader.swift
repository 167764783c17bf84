import Foundation
import PalisadeAPI

/// Reads events back from a log's files (the rotated ones, oldest first, then the current
/// one), for queries and offline forensics. Lines that do not parse (a torn tail) are skipped
/// here; `AuditVerifier` is the one that reports them.
public struct AuditLogReader: Sendable {
    public let files: AuditLogFiles

    public init(path: String) {
        files = AuditLogFiles(path: path)
    }

    /// The newest `limit` events matching `query`, oldest first.
    public func events(matching query: AuditQuery, limit: Int = 500) -> [JSONValue] {
        var matched: [JSONValue] = []
        for path in files.all() {
            if let since = query.since, let modified = Self.modified(path), modified < since { continue }
            Self.forEachLine(of: path) { line in
                guard let event = try? JSONParser.parse(line), query.matches(event) else { return }
                matched.append(event)
                if matched.count > limit * 2 { matched.removeFirst(matched.count - limit) }
            }
        }
        return Array(matched.suffix(limit))
    }

    /// Calls `body` with every newline-terminated line of a file (and an unterminated last one).
    public static func forEachLine(of path: String, _ body: (ArraySlice<UInt8>) -> Void) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let bytes = [UInt8](data)
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            body(bytes[start..<end])
            start = end + 1
        }
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
