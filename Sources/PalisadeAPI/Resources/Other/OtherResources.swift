/// networking, coordination and certificates resources.
extension ServedResources {
    static let networkPolicies = ResourceDefinition(
        group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies", shortNames: ["netpol"],
        columns: [TableColumn("Pod-Selector", cell: Cells.selector("spec", "podSelector")), .age],
        applyDefaults: { policy in
            if policy[path: ["spec", "policyTypes"]] == nil {
                var types: [JSONValue] = ["Ingress"]
                if policy[path: ["spec", "egress"]] != nil { types.append("Egress") }
                policy[path: ["spec", "policyTypes"]] = .array(types)
            }
        },
        validate: { policy in
            policy[path: ["spec", "podSelector"]] == nil ? [.required(FieldPath("spec", "podSelector"))] : []
        }
    )

    static let leases = ResourceDefinition(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases",
        columns: [TableColumn("Holder", cell: Cells.string("spec", "holderIdentity")), .age]
    )

    static let certificateSigningRequests = ResourceDefinition(
        group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest", plural: "certificatesigningrequests",
        namespaced: false, shortNames: ["csr"], subresources: [.status, .approval],
        columns: [
            .age,
            TableColumn("SignerName", cell: Cells.string("spec", "signerName")),
            TableColumn("Requestor", cell: Cells.string("spec", "username")),
            TableColumn("Condition", cell: { csr, _ in
                let conditions = (csr[path: ["status", "conditions"]]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
                return .string(conditions.isEmpty ? "Pending" : conditions.joined(separator: ","))
            }),
        ],
        validate: CertificateSigningRequestRules.validate,
        validateUpdate: CertificateSigningRequestRules.validateUpdate
    )
}
