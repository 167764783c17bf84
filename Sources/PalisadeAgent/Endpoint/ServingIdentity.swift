import Crypto
import Foundation
import PalisadeAuth
import SwiftASN1
import X509

/// The agent endpoint's TLS identity: a certificate for the node's address from a one-off
/// authority made at start (its key is never stored). The authority's certificate is
/// published on the agent's own Node, which only the node itself (and administrators) may
/// write, and the API server trusts nothing else when it calls the node.
struct ServingIdentity: Sendable {
    let authorityPEM: String
    let certificatePEM: String
    let keyPEM: String

    static func create(node: String, address: String) throws -> ServingIdentity {
        let authority = try CertificateAuthority.create(commonName: "system:node:\(node) serving authority", validity: 365 * 24 * 3600)
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issue(
            commonName: "system:node:\(node)", organizations: ["system:nodes"], publicKey: .init(key.publicKey),
            usage: .server(dnsNames: [node], ipAddresses: [address]), validity: 365 * 24 * 3600
        )
        return ServingIdentity(
            authorityPEM: try authority.certificatePEM, certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation
        )
    }
}
