import SwiftASN1
import X509

/// How Palisade names a certificate's serial number everywhere (records, revocations,
/// `kauth`): its big-endian bytes in lowercase hex, as both swift-certificates and BoringSSL
/// give them (without leading zero bytes).
public enum CertificateSerial {
    public static func text(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    /// The serial of the (first) certificate in `pem`.
    public static func of(pem: String) throws -> String {
        text(try Certificate(pemEncoded: pem).serialNumber.bytes)
    }
}
