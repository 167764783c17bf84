import PalisadeAPI
import PalisadeAuth

/// What each client-certificate signer puts its name to. Both sign client-auth certificates
/// with the cluster CA; `kubernetes.io/kube-apiserver-client-kubelet` only for a node
/// identity (CN `system:node:<name>`, O exactly `system:nodes`, an ECDSA or RSA key), as
/// Kubernetes' kubelet client signer. `kubernetes.io/kube-apiserver-client` signs no node
/// identity and not the API server's own identity towards the agents (which would read
/// every pod's logs on every node). Whoever approved, a request outside this fails.
enum ClientSignerPolicy {
    static let nodeUserPrefix = "system:node:"
    static let nodesGroup = "system:nodes"

    static func check(_ request: ClientCertificateRequest, signer: String) throws(PKIError) {
        guard signer == CertificateSigningRequestRules.kubeletClientSigner else {
            if request.commonName.hasPrefix(nodeUserPrefix) || request.organizations.contains(nodesGroup)
                || request.commonName == ClusterPKI.kubeletClientUser
            {
                throw PKIError("the \(signer) signer does not sign node identities or \(ClusterPKI.kubeletClientUser)")
            }
            return
        }
        guard nodeName(of: request) != nil else {
            throw PKIError("the \(signer) signer signs only subjects CN=system:node:<name>, O=system:nodes")
        }
        guard request.hasECDSAOrRSAKey else { throw PKIError("the \(signer) signer signs only ECDSA or RSA keys") }
    }

    /// The node a request's subject names, when it is exactly a node identity.
    static func nodeName(of request: ClientCertificateRequest) -> String? {
        guard request.commonName.hasPrefix(nodeUserPrefix), request.commonName.count > nodeUserPrefix.count,
              request.organizations == [nodesGroup]
        else { return nil }
        return String(request.commonName.dropFirst(nodeUserPrefix.count))
    }
}
