/// What Kubernetes' validation requires of a CertificateSigningRequest: a request and a
/// signer; for the API-server client signers (users' and nodes'), client-auth usages only; at least ten minutes
/// of validity when a duration is asked for; and once made, a fixed spec, a decision that is
/// never both Approved and Denied nor taken back, and a certificate that does not change.
public enum CertificateSigningRequestRules {
    public static let clientSigner = "kubernetes.io/kube-apiserver-client"
    /// Node (kubelet) client certificates: subject `system:node:<name>` in `system:nodes`.
    public static let kubeletClientSigner = "kubernetes.io/kube-apiserver-client-kubelet"
    /// The signers whose certificates are client certificates of the API server.
    public static let clientSigners: Set<String> = [clientSigner, kubeletClientSigner]
    public static let clientUsages: Set<String> = ["client auth", "digital signature", "key encipherment"]
    static let decisions: Set<String> = ["Approved", "Denied"]

    public static func validate(_ csr: JSONValue) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        if (csr[path: ["spec", "request"]]?.stringValue ?? "").isEmpty { causes.append(.required(FieldPath("spec", "request"))) }
        let signer = csr[path: ["spec", "signerName"]]?.stringValue ?? ""
        if signer.isEmpty { causes.append(.required(FieldPath("spec", "signerName"))) }
        let usages = (csr[path: ["spec", "usages"]]?.arrayValue ?? []).compactMap(\.stringValue)
        if clientSigners.contains(signer) {
            if !usages.contains("client auth") {
                causes.append(.required(FieldPath("spec", "usages"), "the \(signer) signer requires the \"client auth\" usage"))
            }
            for (index, usage) in usages.enumerated() where !clientUsages.contains(usage) {
                causes.append(.notSupported(FieldPath("spec", "usages").index(index), value: usage, supported: clientUsages.sorted()))
            }
        }
        if let seconds = csr[path: ["spec", "expirationSeconds"]]?.intValue, seconds < 600 {
            causes.append(.invalid(FieldPath("spec", "expirationSeconds"), value: String(seconds), "may not specify a duration less than 600 seconds (10 minutes)"))
        }
        return causes
    }

    public static func validateUpdate(_ new: JSONValue, _ old: JSONValue) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        if !(new["spec"] ?? .null).semanticallyEquals(old["spec"] ?? .null) {
            causes.append(.forbidden(FieldPath("spec"), "field is immutable"))
        }
        let newDecisions = decisions(of: new)
        if newDecisions.isSuperset(of: decisions) {
            causes.append(.invalid(FieldPath("status", "conditions"), value: nil, "Approved and Denied conditions are mutually exclusive"))
        }
        if !newDecisions.isSuperset(of: decisions(of: old)) {
            causes.append(.forbidden(FieldPath("status", "conditions"), "updates may not remove a condition of type Approved or Denied"))
        }
        if let certificate = old[path: ["status", "certificate"]]?.stringValue, !certificate.isEmpty,
           new[path: ["status", "certificate"]]?.stringValue != certificate {
            causes.append(.forbidden(FieldPath("status", "certificate"), "updates may not modify existing certificate content"))
        }
        return causes
    }

    /// The Approved/Denied condition types a CSR carries.
    public static func decisions(of csr: JSONValue) -> Set<String> {
        Set((csr[path: ["status", "conditions"]]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }.filter(decisions.contains))
    }
}
