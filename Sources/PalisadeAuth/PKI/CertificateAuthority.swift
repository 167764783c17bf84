import Crypto
import Foundation
import SwiftASN1
import X509

/// The cluster certificate authority: signs serving and client certificates.
///
/// Keys are ECDSA P-256: every TLS stack kubectl and the Python client use accepts them,
/// and OpenSSL clients send them without special server configuration (Ed25519 they do not).
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    let privateKey: P256.Signing.PrivateKey

    public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// A new self-signed CA valid for `validity`.
    public static func create(commonName: String, validity: TimeInterval, now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// What an issued certificate is for.
    public enum Usage: Sendable {
        /// A TLS server, with the DNS names and IP addresses clients will dial.
        case server(dnsNames: [String], ipAddresses: [String])
        /// A TLS client; the subject is CN = user, one O per group.
        case client
    }

    /// Signs a certificate for `publicKey`. For clients, `commonName` is the user and
    /// `organizations` the groups (one RDN each, as Kubernetes reads them).
    public func issue(
        commonName: String,
        organizations: [String] = [],
        publicKey: Certificate.PublicKey,
        usage: Usage,
        validity: TimeInterval,
        now: Date = Date()
    ) throws -> Certificate {
        let subject = try DistinguishedName {
            for organization in organizations { OrganizationName(organization) }
            CommonName(commonName)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            AuthorityKeyIdentifier(keyIdentifier: try? certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            switch usage {
            case .server(let dnsNames, let ipAddresses):
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(
                    dnsNames.map { GeneralName.dnsName($0) } + (try ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: try IPAddress.bytes($0)[...])) })
                )
            case .client:
                try ExtendedKeyUsage([.clientAuth])
            }
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: min(now.addingTimeInterval(validity), certificate.notValidAfter),
            issuer: certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: .init(privateKey)
        )
    }

    /// A new key pair and a client certificate for it, as PEM texts.
    public func issueClient(user: String, groups: [String], validity: TimeInterval) throws -> (certificatePEM: String, keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let certificate = try issue(commonName: user, organizations: groups, publicKey: .init(key.publicKey), usage: .client, validity: validity)
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }

    public var certificatePEM: String {
        get throws { try certificate.serializeAsPEM().pemString }
    }

    public var privateKeyPEM: String { privateKey.pemRepresentation }
}

/// Textual IP addresses to the bytes a SAN carries.
enum IPAddress {
    static func bytes(_ text: String) throws -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        throw PKIError("not an IP address: \(text)")
    }

    static func isAddress(_ text: String) -> Bool { (try? bytes(text)) != nil }
}

extension IPAddress {
    /// The usual text form of 4 or 16 address bytes.
    static func text(_ bytes: [UInt8]) -> String {
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        return ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }
}
