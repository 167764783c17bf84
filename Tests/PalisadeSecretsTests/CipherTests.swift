import Foundation
import Testing

@testable import PalisadeSecrets

@Suite struct CipherTests {
    let context = bytes("/registry/core/secrets/default/a")

    @Test func secretboxRoundTripsWithKubernetesLayout() throws {
        let cipher = SecretboxCipher(key: [UInt8](repeating: 1, count: 32))
        let plaintext = bytes(#"{"kind":"Secret"}"#)
        let sealed = try cipher.seal(plaintext, context: context)
        #expect(sealed.count == 24 + 16 + plaintext.count)
        #expect(try cipher.open(sealed[...], context: context) == plaintext)
        #expect(try cipher.open(try cipher.seal([], context: context)[...], context: context) == [])
    }

    @Test func secretboxNoncesAreFresh() throws {
        let cipher = SecretboxCipher(key: [UInt8](repeating: 1, count: 32))
        let first = try cipher.seal(bytes("same"), context: context)
        let second = try cipher.seal(bytes("same"), context: context)
        #expect(first.prefix(24) != second.prefix(24))
    }

    /// Bytes made by PyNaCl (`SecretBox(b"\x01"*32).encrypt(msg, b"\x02"*24)`): what another
    /// implementation wrote opens here.
    @Test func secretboxOpensWhatPyNaClSealed() throws {
        let hex = "020202020202020202020202020202020202020202020202275db40b890c31a87aa75c328915824f8647b594105ef077422ed29d2a23c98c84747eef81c972513bb6fa8305a6bc1492883413bb"
        let sealed = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        let opened = try SecretboxCipher(key: [UInt8](repeating: 1, count: 32)).open(sealed[...], context: [])
        #expect(String(decoding: opened, as: UTF8.self) == #"{"kind":"Secret","data":{"k":"dg=="}}"#)
    }

    @Test(arguments: [0, 10, 30, 50])
    func secretboxRefusesAnyModifiedByte(position: Int) throws {
        let cipher = SecretboxCipher(key: [UInt8](repeating: 1, count: 32))
        var sealed = try cipher.seal(bytes("a value of some length"), context: context)
        sealed[position % sealed.count] ^= 0x40
        #expect(throws: CipherError.authenticationFailed) { try cipher.open(sealed[...], context: context) }
    }

    @Test func secretboxRefusesTruncationAndOtherKeys() throws {
        let cipher = SecretboxCipher(key: [UInt8](repeating: 1, count: 32))
        let sealed = try cipher.seal(bytes("value"), context: context)
        #expect(throws: CipherError.tooShort(minimum: 40)) { try cipher.open(sealed.prefix(39), context: context) }
        #expect(throws: CipherError.authenticationFailed) { try cipher.open(sealed.dropLast(), context: context) }
        let other = SecretboxCipher(key: [UInt8](repeating: 2, count: 32))
        #expect(throws: CipherError.authenticationFailed) { try other.open(sealed[...], context: context) }
    }

    @Test(arguments: [16, 24, 32])
    func aesgcmRoundTripsForEveryKeySize(size: Int) throws {
        let cipher = AESGCMCipher(key: [UInt8](repeating: 7, count: size))
        let sealed = try cipher.seal(bytes("value"), context: context)
        #expect(sealed.count == 12 + 5 + 16)
        #expect(try cipher.open(sealed[...], context: context) == bytes("value"))
    }

    /// aesgcm authenticates the storage key, as Kubernetes does: a value copied to another
    /// object does not open there.
    @Test func aesgcmBindsTheStorageKey() throws {
        let cipher = AESGCMCipher(key: [UInt8](repeating: 7, count: 32))
        let sealed = try cipher.seal(bytes("value"), context: context)
        #expect(throws: CipherError.authenticationFailed) {
            try cipher.open(sealed[...], context: bytes("/registry/core/secrets/default/b"))
        }
        var modified = sealed
        modified[14] ^= 1
        #expect(throws: CipherError.authenticationFailed) { try cipher.open(modified[...], context: context) }
        #expect(throws: CipherError.tooShort(minimum: 28)) { try cipher.open(sealed.prefix(20), context: context) }
    }
}

@Suite struct EnvelopeTests {
    @Test func parsesProviderKeyAndPayload() throws {
        let stored = Envelope.prefix(provider: "secretbox", key: "key1") + [9, 8, 7]
        let envelope = try #require(Envelope.parse(stored))
        #expect(envelope.provider == "secretbox" && envelope.key == "key1" && Array(envelope.payload) == [9, 8, 7])
        #expect(StoredKeyID.of(stored) == .sealed(provider: "secretbox", key: "key1"))
    }

    @Test func plaintextAndMalformedPrefixes() {
        #expect(Envelope.parse(bytes(#"{"a":1}"#)) == nil)
        #expect(StoredKeyID.of(bytes(#"{"a":1}"#)) == .plaintext)
        #expect(StoredKeyID.of(bytes("k8s:enc:secretbox:v2:key1:xx")) == .malformed)
        #expect(StoredKeyID.of(bytes("k8s:enc:secretbox")) == .malformed)
    }
}
