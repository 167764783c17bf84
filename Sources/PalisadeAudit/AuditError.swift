/// An audit failure: the log cannot be written or read, or a key or file is unusable. The
/// message names files and fields, never event contents.
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
