/// networking, discovery, coordination and certificates resources.
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

    static let endpointSlices = ResourceDefinition(
        group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices",
        columns: [
            TableColumn("AddressType", cell: Cells.string("addressType")),
            TableColumn("Ports", cell: { slice, _ in
                let ports = (slice["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue.map(String.init) }
                return .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ","))
            }),
            TableColumn("Endpoints", cell: { slice, _ in
                let addresses = (slice["endpoints"]?.arrayValue ?? []).flatMap { ($0["addresses"]?.arrayValue ?? []).compactMap(\.stringValue) }
                guard !addresses.isEmpty else { return "<unset>" }
                // As kubectl shows them: the first three, then how many more.
                let shown = addresses.prefix(3).joined(separator: ",")
                return .string(addresses.count > 3 ? "\(shown) + \(addresses.count - 3) more..." : shown)
            }),
            .age,
        ],
        validate: { slice in
            let types = ["IPv4", "IPv6", "FQDN"]
            guard let type = slice["addressType"]?.stringValue else { return [.required(FieldPath("addressType"))] }
            return types.contains(type) ? [] : [.notSupported(FieldPath("addressType"), value: type, supported: types)]
        },
        validateUpdate: { new, old in
            new["addressType"] == old["addressType"] ? [] : [.invalid(FieldPath("addressType"), value: new["addressType"]?.stringValue, "field is immutable")]
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
