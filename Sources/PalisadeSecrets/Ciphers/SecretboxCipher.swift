import CSodium

/// NaCl secretbox (XSalsa20-Poly1305) through libsodium, laid out as Kubernetes stores it:
/// a fresh 24-byte nonce, then `crypto_secretbox_easy` (16-byte tag, then the ciphertext).
/// Like Kubernetes' secretbox, the storage key is not authenticated.
struct SecretboxCipher: Cipher {
    static let keySize = Int(crypto_secretbox_KEYBYTES)
    static let nonceSize = Int(crypto_secretbox_NONCEBYTES)
    static let tagSize = Int(crypto_secretbox_MACBYTES)

    private let key: [UInt8]

    init(key: [UInt8]) {
        precondition(key.count == Self.keySize, "secretbox keys are validated to 32 bytes when the configuration is read")
        Sodium.ensureInitialized()
        self.key = key
    }

    func seal(_ plaintext: [UInt8], context: [UInt8]) throws(CipherError) -> [UInt8] {
        let nonce = SecureRandom.bytes(Self.nonceSize)
        var output = nonce + [UInt8](repeating: 0, count: Self.tagSize + plaintext.count)
        let result = output.withUnsafeMutableBufferPointer { buffer in
            crypto_secretbox_easy(buffer.baseAddress! + Self.nonceSize, plaintext, UInt64(plaintext.count), nonce, key)
        }
        guard result == 0 else { throw .unavailable("libsodium refused to seal") }
        return output
    }

    func open(_ sealed: ArraySlice<UInt8>, context: [UInt8]) throws(CipherError) -> [UInt8] {
        let minimum = Self.nonceSize + Self.tagSize
        guard sealed.count >= minimum else { throw .tooShort(minimum: minimum) }
        let bytes = Array(sealed)
        // One spare byte keeps the output buffer non-empty for an empty plaintext.
        var plaintext = [UInt8](repeating: 0, count: bytes.count - minimum + 1)
        let result = bytes.withUnsafeBufferPointer { input in
            plaintext.withUnsafeMutableBufferPointer { output in
                crypto_secretbox_open_easy(
                    output.baseAddress!, input.baseAddress! + Self.nonceSize, UInt64(input.count - Self.nonceSize),
                    input.baseAddress!, key
                )
            }
        }
        guard result == 0 else { throw .authenticationFailed }
        plaintext.removeLast()
        return plaintext
    }
}
