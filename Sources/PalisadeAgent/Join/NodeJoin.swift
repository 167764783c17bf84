import Foundation
import Logging
import PalisadeAuth
import PalisadeClient

/// How a node gets its client identity (`system:node:<name>` in `system:nodes`), as a kubelet
/// does with TLS bootstrapping: reuse a valid certificate already in its directory, or else
/// present a bootstrap token to the server's bootstrap listener, ask for a certificate for the
/// kubelet client signer, and wait for the server to approve and sign it.
public enum NodeJoin {
    /// The node's kubeconfig for `server`, with its client certificate and key embedded.
    ///
    /// - Parameters:
    ///   - server: the API server (mTLS) the kubeconfig points at.
    ///   - bootstrapServer: the bootstrap listener (`palisade server --bootstrap-listen`).
    ///   - caPEM: the cluster CA; both servers are verified against it and it alone.
    ///   - token: a bootstrap token `<id>.<secret>` (`kauth token create`); needed only when
    ///     `directory` holds no valid certificate for the node.
    ///   - nodeName: the node's name (its identity is `system:node:<nodeName>`).
    ///   - directory: where the key (0600), certificate and kubeconfig (0600) are kept; created 0700.
    ///   - waitLimit: how long to wait for the certificate after asking.
    /// - Throws: ``NodeJoinError`` with a one-line reason (token refused, request denied, no
    ///   answer in time), or a file error.
    public static func credentials(
        server: String, bootstrapServer: String, caPEM: String, token: String?, nodeName: String, directory: String,
        waitLimit: Duration = .seconds(300), logger: Logger
    ) async throws -> Kubeconfig {
        let files = NodeCredentialsDirectory(path: directory)
        if var existing = files.current(nodeName: nodeName, caPEM: caPEM) {
            logger.info("reusing the node's client certificate", metadata: ["file": "\(files.kubeconfigPath)"])
            guard existing.server != server else { return existing }
            existing.server = server
            try files.write(existing)
            return existing
        }
        guard let token, !token.isEmpty else { throw NodeJoinError.noCredentials(directory: directory) }
        guard BootstrapToken(token) != nil else {
            throw NodeJoinError("the bootstrap token is malformed: it must be <6 characters [a-z0-9]>.<16 characters [a-z0-9]>")
        }
        let client = try PalisadeClient(server: bootstrapServer, certificateAuthorityPEM: caPEM, bearerToken: token)
        let issued: (keyPEM: String, certificatePEM: String)
        do {
            issued = try await NodeCertificateRequest(
                client: client, bootstrap: true, nodeName: nodeName, caPEM: caPEM, waitLimit: waitLimit, logger: logger
            ).run()
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        let kubeconfig = Kubeconfig(
            clusterName: "palisade", server: server, certificateAuthorityPEM: caPEM, userName: NodeIdentity.user(nodeName),
            clientCertificatePEM: issued.certificatePEM, clientKeyPEM: issued.keyPEM
        )
        try files.write(kubeconfig)
        logger.info("joined the cluster", metadata: ["node": "\(nodeName)", "kubeconfig": "\(files.kubeconfigPath)"])
        return kubeconfig
    }
}
