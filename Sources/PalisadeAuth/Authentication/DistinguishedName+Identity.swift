import X509

extension DistinguishedName {
    /// The identity Kubernetes reads from a subject: the CN is the user, each O a group.
    var userAndGroups: (user: String?, groups: [String]) {
        var user: String?
        var groups: [String] = []
        for rdn in self {
            for attribute in rdn {
                guard let value = String(attribute.value) else { continue }
                if attribute.type == .RDNAttributeType.commonName {
                    user = value
                } else if attribute.type == .RDNAttributeType.organizationName {
                    groups.append(value)
                }
            }
        }
        return (user, groups)
    }
}
