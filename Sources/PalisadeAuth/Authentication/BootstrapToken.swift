/// A bootstrap token as Kubernetes writes it, `<id>.<secret>`: a 6-character public id
/// (it names the Secret `bootstrap-token-<id>` and the user `system:bootstrap:<id>`) and a
/// 16-character secret, both `[a-z0-9]`. A node presents it once, to ask for its certificate.
///
/// The secret is reachable only through ``text``; `description` and the mirror redact it, so
/// a token interpolated into a log line or an error shows its id alone.
public struct BootstrapToken: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    public static let idLength = 6
    public static let secretLength = 16
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    public let id: String
    /// Internal: outside PalisadeAuth the secret is reachable only through `text`.
    let secret: String

    /// Parses `<id>.<secret>`; nil for anything else (no trimming, no case folding).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isWellFormed(parts[0], length: Self.idLength), Self.isWellFormed(parts[1], length: Self.secretLength) else {
            return nil
        }
        id = String(parts[0])
        secret = String(parts[1])
    }

    /// A new random token (system randomness, uniform over the alphabet).
    public static func generate() -> BootstrapToken {
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> String {
            String(decoding: (0..<count).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
        }
        return BootstrapToken(random(idLength) + "." + random(secretLength))!
    }

    /// Whether `id` is a well-formed token id (6 characters of `[a-z0-9]`).
    public static func isValidID(_ id: String) -> Bool { isWellFormed(Substring(id), length: idLength) }

    private static func isWellFormed(_ part: Substring, length: Int) -> Bool {
        part.utf8.count == length && part.utf8.allSatisfy(alphabet.contains)
    }

    /// The full token text, secret included: only for showing it once to whoever created it
    /// and for sending it to the server.
    public var text: String { "\(id).\(secret)" }

    /// Whether `stored` is this token's secret, compared in constant time (the time taken
    /// does not depend on where the two first differ).
    public func hasSecret(_ stored: String) -> Bool {
        let presented = Array(secret.utf8)
        let expected = Array(stored.utf8)
        var difference = UInt8(truncatingIfNeeded: presented.count ^ expected.count)
        for index in 0..<presented.count {
            difference |= presented[index] ^ (index < expected.count ? expected[index] : 0)
        }
        return difference == 0
    }

    public var description: String { "\(id).<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: ["id": id, "secret": "<redacted>"]) }
}
