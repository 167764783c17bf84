import Crypto
import Foundation
import PalisadeAPI
import PalisadeAuth

/// A signed statement of the chain head: "the log held `sequence` lines, the last with MAC
/// `chain`, at `time`". Kept off the machine, it shows lines removed from the end of the log
/// after it was taken, which the chain alone cannot.
public struct AuditCheckpoint: Sendable, Equatable {
    public var sequence: UInt64
    public var chain: String
    /// When it was taken (MicroTime text, exactly as signed).
    public var time: String
    public var signature: Data

    static let kind = "AuditCheckpoint"

    private static func message(sequence: UInt64, chain: String, time: String) -> Data {
        Data("palisade-audit-checkpoint\n\(sequence)\n\(chain)\n\(time)".utf8)
    }

    public static func sign(sequence: UInt64, chain: String, time: Date = Date(), key: Curve25519.Signing.PrivateKey) throws(AuditError) -> AuditCheckpoint {
        let stamp = Timestamp.formatMicro(time)
        do {
            let signature = try key.signature(for: message(sequence: sequence, chain: chain, time: stamp))
            return AuditCheckpoint(sequence: sequence, chain: chain, time: stamp, signature: signature)
        } catch {
            throw AuditError("cannot sign the audit checkpoint")
        }
    }

    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        key.isValidSignature(signature, for: Self.message(sequence: sequence, chain: chain, time: time))
    }

    public var json: JSONValue {
        [
            "kind": .string(Self.kind), "apiVersion": "audit.palisade.dev/v1", "sequence": .int(Int64(sequence)),
            "chain": .string(chain), "time": .string(time), "signature": .string(signature.base64EncodedString()),
        ]
    }

    public init(sequence: UInt64, chain: String, time: String, signature: Data) {
        self.sequence = sequence
        self.chain = chain
        self.time = time
        self.signature = signature
    }

    public init(json: JSONValue) throws(AuditError) {
        guard json["kind"]?.stringValue == Self.kind,
              let sequence = json["sequence"]?.intValue, sequence >= 0,
              let chain = json["chain"]?.stringValue,
              let time = json["time"]?.stringValue,
              let signature = json["signature"]?.stringValue.flatMap({ Data(base64Encoded: $0) })
        else { throw AuditError("not an audit checkpoint (kind \(Self.kind) with sequence, chain, time and signature)") }
        self.init(sequence: UInt64(sequence), chain: chain, time: time, signature: signature)
    }

    public static func read(path: String) throws(AuditError) -> AuditCheckpoint {
        guard let data = FileManager.default.contents(atPath: path), let json = try? JSONParser.parse(Array(data)) else {
            throw AuditError("\(path): cannot read a JSON checkpoint")
        }
        do {
            return try AuditCheckpoint(json: json)
        } catch {
            throw AuditError("\(path): \(error.description)")
        }
    }

    /// Writes the checkpoint atomically (temporary file, then rename).
    public func write(to path: String) throws(AuditError) {
        do {
            try PEMFile.write(JSONSerializer.string(json) + "\n", to: path, mode: 0o600)
        } catch {
            throw AuditError("cannot write \(path)")
        }
    }
}
