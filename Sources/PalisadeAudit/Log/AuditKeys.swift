import CoreFoundation  // where release builds find the fields of `stat`
import Crypto
import Foundation
import PalisadeAuth

/// The two keys behind the log's tamper evidence, kept in the data directory with mode 0600:
/// the HMAC key that chains the lines, and the Ed25519 key that signs checkpoints of the
/// chain head (its public half is written beside it, for verifiers that hold only that).
public struct AuditKeys: Sendable {
    public let chain: SymmetricKey
    public let signing: Curve25519.Signing.PrivateKey

    public init(chain: SymmetricKey, signing: Curve25519.Signing.PrivateKey) {
        self.chain = chain
        self.signing = signing
    }

    public static func chainKeyPath(directory: String) -> String { directory + "/audit-chain.key" }
    public static func signingKeyPath(directory: String) -> String { directory + "/audit-checkpoint.key" }
    public static func publicKeyPath(directory: String) -> String { directory + "/audit-checkpoint.pub" }

    /// Reads the keys from `directory`, creating them on first use; a key file readable by
    /// others stops the server, naming the file.
    public static func loadOrCreate(directory: String) throws(AuditError) -> AuditKeys {
        let chainPath = chainKeyPath(directory: directory)
        let signingPath = signingKeyPath(directory: directory)
        if !FileManager.default.fileExists(atPath: chainPath) {
            try write(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }, to: chainPath)
        }
        if !FileManager.default.fileExists(atPath: signingPath) {
            let key = Curve25519.Signing.PrivateKey()
            try write(key.rawRepresentation, to: signingPath)
            try write(key.publicKey.rawRepresentation, to: publicKeyPath(directory: directory), mode: 0o644)
        }
        let signing: Curve25519.Signing.PrivateKey
        do {
            signing = try Curve25519.Signing.PrivateKey(rawRepresentation: try read(signingPath))
        } catch {
            throw AuditError("\(signingPath): not an Ed25519 private key")
        }
        return AuditKeys(chain: try loadChainKey(path: chainPath), signing: signing)
    }

    /// The chain key alone, for verifying a log offline.
    public static func loadChainKey(path: String) throws(AuditError) -> SymmetricKey {
        let bytes = try read(path)
        guard bytes.count == 32 else { throw AuditError("\(path): not a 32-byte audit chain key") }
        return SymmetricKey(data: bytes)
    }

    public static func loadPublicKey(path: String) throws(AuditError) -> Curve25519.Signing.PublicKey {
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: try read(path, secret: false))
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError("\(path): not an Ed25519 public key")
        }
    }

    private static func read(_ path: String, secret: Bool = true) throws(AuditError) -> Data {
        var info = stat()
        guard stat(path, &info) == 0, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AuditError("cannot read \(path)")
        }
        if secret && info.st_mode & 0o077 != 0 {
            throw AuditError("\(path) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))): chmod 600 it")
        }
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw AuditError("\(path): not base64")
        }
        return data
    }

    private static func write(_ bytes: Data, to path: String, mode: Int16 = 0o600) throws(AuditError) {
        do {
            try PEMFile.write(bytes.base64EncodedString() + "\n", to: path, mode: mode)
        } catch {
            throw AuditError("cannot write \(path)")
        }
    }
}
