/// One key of one provider: seals plaintext into the provider's bytes and opens them again.
/// `context` is the storage key; providers that authenticate it (aesgcm) refuse a value
/// moved to another key.
protocol Cipher: Sendable {
    func seal(_ plaintext: [UInt8], context: [UInt8]) throws(CipherError) -> [UInt8]
    func open(_ sealed: ArraySlice<UInt8>, context: [UInt8]) throws(CipherError) -> [UInt8]
}

/// Why a value could not be opened. No case carries stored bytes.
enum CipherError: Error, Equatable, CustomStringConvertible {
    case tooShort(minimum: Int)
    case authenticationFailed
    case unavailable(String)

    var description: String {
        switch self {
        case .tooShort(let minimum): "the ciphertext is truncated (shorter than \(minimum) bytes)"
        case .authenticationFailed: "the ciphertext does not authenticate (modified, or sealed with another key)"
        case .unavailable(let reason): reason
        }
    }
}
