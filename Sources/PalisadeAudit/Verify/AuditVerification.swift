/// What `AuditVerifier` found: how much of the chain holds, the first problem (if any),
/// and notices that are not tampering (a torn last line, a log that starts after older
/// files were rotated away).
public struct AuditVerification: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case edited, inserted, removed, reordered, duplicated, unreadable, checkpoint
        case truncatedTail = "truncated tail"
        case torn = "torn line"
        case chainBreak = "chain break"
    }

    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public let kind: Kind
        /// `file:line`, or the checkpoint file.
        public let location: String
        public let message: String

        public var description: String { "\(location): \(kind.rawValue): \(message)" }

        /// Damage a crash leaves (an incomplete line), not tampering.
        public var isNotice: Bool { kind == .truncatedTail || kind == .torn }
    }

    public var lines = 0
    public var firstSequence: UInt64?
    public var lastSequence: UInt64?
    public var problem: Finding?
    public var notices: [Finding] = []

    public var intact: Bool { problem == nil }
}
