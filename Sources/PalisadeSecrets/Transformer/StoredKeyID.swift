/// What protects one stored value: a provider's key, or nothing.
public enum StoredKeyID: Hashable, Sendable, Comparable, CustomStringConvertible {
    case plaintext
    case sealed(provider: String, key: String)
    /// A `k8s:enc:` value whose prefix cannot be parsed.
    case malformed

    public var description: String {
        switch self {
        case .plaintext: "identity (plaintext)"
        case .sealed(let provider, let key): "\(provider):\(key)"
        case .malformed: "malformed envelope"
        }
    }

    static func of(_ stored: [UInt8]) -> StoredKeyID {
        guard Envelope.isSealed(stored) else { return .plaintext }
        guard let envelope = Envelope.parse(stored) else { return .malformed }
        return .sealed(provider: envelope.provider, key: envelope.key)
    }
}
