import Foundation
import PalisadeAPI
import PalisadeAuth

/// Which node client-certificate requests are approved without a human, as Kubernetes'
/// csrapproving controller: a request for `kubernetes.io/kube-apiserver-client-kubelet`,
/// not yet decided, whose subject is exactly CN=`system:node:<name>`, O=`system:nodes`, with
/// an ECDSA or RSA key and usages among digital signature, key encipherment and client auth,
/// made either by a bootstrap token (requester in `system:bootstrappers`: a node joining) or
/// by that very node (`system:node:<name>` in `system:nodes`: a renewal). Anything else is
/// left alone for a human to approve or deny. The requester fields are the credentials'
/// (admission overwrites whatever the body said).
enum NodeClientApproval {
    static let reason = "AutoApproved"

    enum Decision: Equatable {
        case approve(message: String)
        case leave
    }

    static func decide(_ csr: JSONValue) -> Decision {
        guard csr[path: ["spec", "signerName"]]?.stringValue == CertificateSigningRequestRules.kubeletClientSigner,
              CertificateSigningRequestRules.decisions(of: csr).isEmpty,
              let usages = csr[path: ["spec", "usages"]]?.arrayValue?.compactMap(\.stringValue), usages.contains("client auth"),
              Set(usages).isSubset(of: CertificateSigningRequestRules.clientUsages),
              let request = try? ClientCertificateRequest(base64: csr[path: ["spec", "request"]]?.stringValue ?? ""),
              let node = ClientSignerPolicy.nodeName(of: request), request.hasECDSAOrRSAKey
        else { return .leave }
        let username = csr[path: ["spec", "username"]]?.stringValue ?? ""
        let groups = Set(csr[path: ["spec", "groups"]]?.arrayValue?.compactMap(\.stringValue) ?? [])
        if groups.contains(BootstrapTokenSecret.group) && username.hasPrefix(BootstrapTokenSecret.userPrefix) {
            return .approve(message: "node \(node) joined with bootstrap token \(username.dropFirst(BootstrapTokenSecret.userPrefix.count))")
        }
        if groups.contains(ClientSignerPolicy.nodesGroup) && username == request.commonName {
            return .approve(message: "node \(node) renewed its own client certificate")
        }
        return .leave
    }

    /// `csr` with the Approved condition added.
    static func approved(_ csr: JSONValue, message: String, now: Date = Date()) -> JSONValue {
        var approved = csr
        approved[path: ["status", "conditions"]] = .array((csr[path: ["status", "conditions"]]?.arrayValue ?? []) + [[
            "type": "Approved", "status": "True", "reason": .string(reason), "message": .string(message),
            "lastUpdateTime": .string(Timestamp.format(now)), "lastTransitionTime": .string(Timestamp.format(now)),
        ]])
        return approved
    }
}
