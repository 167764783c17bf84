import Crypto
import Foundation
import SwiftASN1
import X509

/// The PKCS#10 request of a CertificateSigningRequest (`spec.request`: a PEM
/// `CERTIFICATE REQUEST`, base64 in JSON), checked: it parses, its signature verifies (the
/// requester holds the key), and it names a user. The subject gives the user (CN) and
/// groups (O), as Kubernetes reads client certificates.
public struct ClientCertificateRequest: Sendable {
    public let commonName: String
    public let organizations: [String]
    public let publicKey: Certificate.PublicKey

    /// - Parameter request: the bytes of `spec.request` (PEM text).
    public init(pem request: [UInt8]) throws(PKIError) {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(pemEncoded: String(decoding: request, as: UTF8.self))
        } catch {
            throw PKIError("spec.request is not a PEM-encoded certificate request")
        }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw PKIError("spec.request is not signed by the key it carries")
        }
        let (user, groups) = csr.subject.userAndGroups
        guard let commonName = user, !commonName.isEmpty else { throw PKIError("the certificate request names no user (subject CN)") }
        self.commonName = commonName
        organizations = groups
        publicKey = csr.publicKey
    }

    /// Decodes `spec.request` as it arrives in JSON: base64 of the PEM text.
    public init(base64 request: String) throws(PKIError) {
        guard let bytes = Data(base64Encoded: request) else { throw PKIError("spec.request is not base64") }
        try self.init(pem: Array(bytes))
    }
}

/// A client certificate the CA issued for a request, in the forms the server stores.
public struct IssuedClientCertificate: Sendable {
    public let pem: String
    /// Lowercase hex of the serial number, as records and revocations name it.
    public let serial: String
    public let notBefore: Date
    public let notAfter: Date
}

extension CertificateAuthority {
    /// Signs `request` for client authentication: the request's subject, its key, `validity`
    /// from `now` (cut at the CA's own expiry).
    public func sign(_ request: ClientCertificateRequest, validity: TimeInterval, now: Date = Date()) throws -> IssuedClientCertificate {
        let certificate = try issue(
            commonName: request.commonName, organizations: request.organizations, publicKey: request.publicKey, usage: .client,
            validity: validity, now: now
        )
        return IssuedClientCertificate(
            pem: try certificate.serializeAsPEM().pemString, serial: CertificateSerial.text(certificate.serialNumber.bytes),
            notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter
        )
    }
}

extension ClientCertificateRequest {
    /// A new P-256 key and a PEM certificate request for `user` in `groups` (CN and O), as a
    /// client makes them: the key never leaves the caller.
    public static func generate(user: String, groups: [String]) throws -> (requestPEM: String, keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            for group in groups { OrganizationName(group) }
            CommonName(user)
        }
        let request = try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: .init(key), attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256
        )
        return (try request.serializeAsPEM().pemString, key.pemRepresentation)
    }
}
