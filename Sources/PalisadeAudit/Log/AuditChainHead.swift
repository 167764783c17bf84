import Foundation
import PalisadeAPI

/// Where the chain stands: the sequence number and MAC of the last line written.
public struct AuditChainHead: Sendable, Equatable {
    public var sequence: UInt64
    public var chain: String

    public static let empty = AuditChainHead(sequence: 0, chain: AuditLine.genesis)

    public init(sequence: UInt64, chain: String) {
        self.sequence = sequence
        self.chain = chain
    }

    /// The head recorded in the newest complete line of the log's files, for a writer that
    /// starts again where the last one stopped (across restarts and rotations). A torn
    /// fragment left by a crash (terminated by the writer on start) is stepped over; nil
    /// when the newest lines carry no chain.
    static func recover(_ files: AuditLogFiles) -> AuditChainHead? {
        for path in files.all().reversed() {
            let lines = lastCompleteLines(of: path, count: 2)
            guard !lines.isEmpty else { continue }
            for line in lines {
                if let event = try? JSONParser.parse(line), let annotations = event["annotations"]?.objectValue,
                   let sequence = annotations[AuditLine.sequenceKey]?.stringValue.flatMap(UInt64.init),
                   let chain = annotations[AuditLine.chainKey]?.stringValue {
                    return AuditChainHead(sequence: sequence, chain: chain)
                }
            }
            return nil
        }
        return .empty
    }

    /// Up to `count` lines that end in a newline, newest first, reading backwards from the
    /// end of the file in growing windows.
    static func lastCompleteLines(of path: String, count: Int) -> [[UInt8]] {
        var window = 64 * 1024
        while true {
            let bytes = AuditLogFile.tail(of: path, bytes: window)
            let wholeFile = bytes.count < window
            guard let end = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
            let lines = bytes[..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            // The first piece of a window may be cut; it counts only when the window holds the whole file.
            let usable = wholeFile ? lines[...] : lines.dropFirst()
            if usable.count >= count || wholeFile { return usable.suffix(count).reversed().map(Array.init) }
            window *= 4
        }
    }
}
