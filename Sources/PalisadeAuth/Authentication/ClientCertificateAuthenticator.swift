import SwiftASN1
import X509

/// Turns a verified client certificate into a user, as Kubernetes does: the subject's
/// CN is the user name, each O is a group, and `system:authenticated` is added.
///
/// The TLS handshake has already verified the chain against the cluster CA; this only reads it.
public struct ClientCertificateAuthenticator: Sendable {
    public init() {}

    /// The user of a DER-encoded leaf certificate; nil when it names no user.
    public func user(fromDER der: [UInt8]) -> UserInfo? {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        return user(from: certificate)
    }

    public func user(from certificate: Certificate) -> UserInfo? {
        var name: String?
        var groups: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn {
                guard let value = String(attribute.value) else { continue }
                if attribute.type == .RDNAttributeType.commonName {
                    name = value
                } else if attribute.type == .RDNAttributeType.organizationName {
                    groups.append(value)
                }
            }
        }
        guard let name, !name.isEmpty else { return nil }
        if !groups.contains(UserInfo.authenticatedGroup) { groups.append(UserInfo.authenticatedGroup) }
        return UserInfo(name: name, groups: groups)
    }
}
