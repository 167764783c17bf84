import Crypto
import Foundation

/// AES-GCM as Kubernetes' `aesgcm` provider stores it: a random 12-byte nonce, the
/// ciphertext, the 16-byte tag, with the storage key as additional authenticated data.
/// Kubernetes advises rotating such a key every 200,000 writes (random 96-bit nonces).
struct AESGCMCipher: Cipher {
    private let key: SymmetricKey

    init(key: [UInt8]) { self.key = SymmetricKey(data: key) }

    func seal(_ plaintext: [UInt8], context: [UInt8]) throws(CipherError) -> [UInt8] {
        do {
            guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: context).combined else {
                throw CipherError.unavailable("AES-GCM produced no combined output")
            }
            return Array(combined)
        } catch {
            throw .unavailable("AES-GCM refused to seal")
        }
    }

    func open(_ sealed: ArraySlice<UInt8>, context: [UInt8]) throws(CipherError) -> [UInt8] {
        guard sealed.count >= 28 else { throw .tooShort(minimum: 28) }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: context))
        } catch {
            throw .authenticationFailed
        }
    }
}
