import Foundation
import PalisadeAuth
import SwiftASN1
import X509

/// The identity a node's client certificate must carry, as Kubernetes names nodes: user
/// `system:node:<name>` in group `system:nodes`.
enum NodeIdentity {
    static let userPrefix = "system:node:"
    static let group = "system:nodes"

    static func user(_ nodeName: String) -> String { userPrefix + nodeName }

    /// Whether `certificatePEM` is a client certificate for `nodeName`, issued by the CA of
    /// `caPEM`, for the key of `keyPEM`, and valid at `now`.
    static func isValid(certificatePEM: String, keyPEM: String, nodeName: String, caPEM: String, now: Date = Date()) -> Bool {
        guard let certificate = try? Certificate(pemEncoded: certificatePEM), let authority = try? Certificate(pemEncoded: caPEM),
              let key = try? Certificate.PrivateKey(pemEncoded: keyPEM)
        else { return false }
        let user = ClientCertificateAuthenticator().user(from: certificate)
        return user?.name == self.user(nodeName) && user?.groups.contains(group) == true
            && certificate.publicKey == key.publicKey
            && certificate.issuer == authority.subject && authority.publicKey.isValidSignature(certificate.signature, for: certificate)
            && certificate.notValidBefore <= now && now < certificate.notValidAfter
    }

    /// The validity period of a PEM certificate.
    static func validity(of certificatePEM: String) throws -> (notBefore: Date, notAfter: Date) {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        return (certificate.notValidBefore, certificate.notValidAfter)
    }
}
