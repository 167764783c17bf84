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
        var (name, groups) = certificate.subject.userAndGroups
        guard let name, !name.isEmpty else { return nil }
        if !groups.contains(UserInfo.authenticatedGroup) { groups.append(UserInfo.authenticatedGroup) }
        return UserInfo(name: name, groups: groups)
    }
}
