import Crypto
import Foundation

/// An OCI content digest, `sha256:<64 hex>` (the only algorithm accepted).
public struct ContentDigest: Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    public init?(_ text: String) {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = String(text.dropFirst("sha256:".count))
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        self.hex = hex
    }

    /// The digest of a file's bytes, read in chunks.
    public static func of(file path: String) throws -> ContentDigest {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImageError("cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return ContentDigest("sha256:" + hash.finalize().map { String(format: "%02x", $0) }.joined())!
    }

    public var description: String { "sha256:\(hex)" }
}

/// An image that cannot be imported or used, said plainly.
public struct ImageError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
