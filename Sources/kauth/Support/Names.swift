import PalisadeAPI

/// Names checked before anything is sent: a name Kubernetes would refuse is refused here,
/// in one line, naming the value.
enum Names {
    /// Object, user and tenant names: a DNS-1123 subdomain (lower case, digits, '-', '.').
    static func requireSubdomain(_ value: String, _ what: String) throws -> String {
        if let problem = NameRules.dns1123SubdomainErrors(value).first { throw KauthError("invalid \(what) \"\(value)\": \(problem)") }
        return value
    }

    /// Namespace and tenant names: a DNS-1123 label (no dots, at most 63 characters).
    static func requireLabel(_ value: String, _ what: String) throws -> String {
        if let problem = NameRules.dns1123LabelErrors(value).first { throw KauthError("invalid \(what) \"\(value)\": \(problem)") }
        return value
    }

    /// Group names, and the users a question is about (`system:kube-scheduler`), are
    /// free-form in Kubernetes, but never empty, never with a comma (lists are
    /// comma-separated here) or control characters.
    static func requireIdentity(_ value: String, _ what: String) throws -> String {
        guard !value.isEmpty, !value.contains(","), !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw KauthError("invalid \(what) \"\(value)\": must be non-empty, without commas or control characters")
        }
        return value
    }

    static func requireGroup(_ value: String) throws -> String {
        try requireIdentity(value, "group")
    }
}
