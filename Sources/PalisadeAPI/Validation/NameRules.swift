/// The naming rules of Kubernetes objects and labels, each returning the problems found
/// (empty when the value is fine), in the words Kubernetes uses.
public enum NameRules {
    static let dns1123LabelMaxLength = 63
    static let dns1123SubdomainMaxLength = 253

    /// RFC 1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63.
    public static func dns1123LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errors.append("must be no more than 63 characters") }
        if !isDNSLabel(value) {
            errors.append(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            )
        }
        return errors
    }

    /// RFC 1123 subdomain: dot-separated labels, at most 253.
    public static func dns1123SubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errors.append("must be no more than 253 characters") }
        if value.isEmpty || !value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isDNSLabel(String($0)) }) {
            errors.append(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            )
        }
        return errors
    }

    /// A label or annotation key: optional DNS-subdomain prefix and '/', then a name of at most 63.
    public static func qualifiedNameErrors(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var name = value
        var errors: [String] = []
        if parts.count == 2 {
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123SubdomainErrors(parts[0]).map { "prefix part \($0)" }
            }
            name = parts[1]
        } else if parts.count > 2 {
            return [qualifiedNameMessage]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else {
            if name.utf8.count > 63 { errors.append("name part must be no more than 63 characters") }
            if !isQualifiedNamePart(name) { errors.append("name part " + qualifiedNameMessage) }
        }
        return errors
    }

    /// A label value: empty, or at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric.
    public static func labelValueErrors(_ value: String) -> [String] {
        if value.isEmpty { return [] }
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append("must be no more than 63 characters") }
        if !isQualifiedNamePart(value) {
            errors.append(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
            )
        }
        return errors
    }

    /// A ConfigMap or Secret key: alphanumerics, '-', '_' or '.', at most 253.
    public static func configMapKeyErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append("must be no more than 253 characters") }
        let allowed = value.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
        if value.isEmpty || !allowed {
            errors.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
        }
        return errors
    }

    private static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isDNSLabel(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        func lowerAlnum(_ b: UInt8) -> Bool { (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) }
        return lowerAlnum(first) && lowerAlnum(last) && bytes.allSatisfy { lowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isQualifiedNamePart(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}
