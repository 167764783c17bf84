import Foundation
import PalisadeAuth

/// The kubeconfig kauth hands to a user: the cluster (server and CA) of the administrator's
/// kubeconfig, and the user's own certificate and key. Written 0600, atomically.
enum UserKubeconfig {
    private static func write(user: String, issued: CertificateIssuer.Issued, cluster clusterKubeconfigPath: String, to path: String) throws {
        let cluster: Kubeconfig
        do {
            cluster = try Kubeconfig.parse(String(contentsOfFile: clusterKubeconfigPath, encoding: .utf8))
        } catch {
            throw KauthError("cannot read the cluster from \(clusterKubeconfigPath)")
        }
        let kubeconfig = Kubeconfig(
            clusterName: cluster.clusterName, server: cluster.server, certificateAuthorityPEM: cluster.certificateAuthorityPEM,
            userName: user, clientCertificatePEM: issued.certificatePEM, clientKeyPEM: issued.keyPEM
        )
        do {
            try PEMFile.write(try kubeconfig.yaml(), to: path, mode: 0o600)
        } catch {
            throw KauthError("cannot write \(path): \(error)")
        }
    }

    /// Writes the kubeconfig, or when it cannot be written revokes the certificate at once
    /// (a certificate nobody holds the kubeconfig of must not stay valid).
    static func deliver(user: String, issued: CertificateIssuer.Issued, cluster: String, to path: String, api: ClusterAPI) async throws {
        do {
            try write(user: user, issued: issued, cluster: cluster, to: path)
        } catch {
            try? await api.revoke(serial: issued.serial)
            throw error
        }
    }

    /// `--out`, else `NAME.kubeconfig` in the current directory.
    static func path(_ out: String?, user: String) -> String {
        out ?? "\(user).kubeconfig"
    }
}
