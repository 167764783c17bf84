import Foundation
import PalisadeAuth
import PalisadeClient

/// A client certificate for one component, made in memory by the server's CA (the key is
/// never written anywhere), and the mTLS client that uses it. The components are clients of
/// the gateway like any other, so what they do is authorized by their own roles and
/// audited under their own names.
public struct ControllerIdentity: Sendable {
    /// The scheduler, as in Kubernetes.
    public static let scheduler = ControllerIdentity(user: "system:kube-scheduler", groups: [])
    /// The controller manager: it holds the leadership Lease of the controllers.
    public static let controllerManager = ControllerIdentity(user: "system:kube-controller-manager", groups: [])

    /// A controller's service account `kube-system/<name>`, bound to `system:controller:<name>`.
    public static func controller(_ name: String) -> ControllerIdentity {
        ControllerIdentity(
            user: "system:serviceaccount:kube-system:\(name)",
            groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system"]
        )
    }

    public let user: String
    public let groups: [String]

    /// An API client for this identity, valid for a year (it lives as long as the process).
    public func client(authority: CertificateAuthority, server: String, connections: Int = 8) throws -> APIClient {
        let (certificate, key) = try authority.issueClient(user: user, groups: groups, validity: 365 * 86400)
        return APIClient(try PalisadeClient(kubeconfig: Kubeconfig(
            clusterName: "palisade", server: server, certificateAuthorityPEM: try authority.certificatePEM, userName: user,
            clientCertificatePEM: certificate, clientKeyPEM: key
        ), connections: connections))
    }
}
