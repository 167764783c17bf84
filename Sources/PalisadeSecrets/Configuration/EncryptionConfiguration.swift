/// `apiserver.config.k8s.io/v1` EncryptionConfiguration: which resources are encrypted at
/// rest, and with which providers and keys. Rules are tried in order; within a rule the first
/// provider (and its first key) writes, and reads pick provider and key by the stored prefix.
public struct EncryptionConfiguration: Sendable, Equatable {
    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    public struct Rule: Sendable, Equatable {
        /// `secrets`, `deployments.apps`, `*.apps`, `*.` (the core group) or `*.*`.
        public var resources: [String]
        public var providers: [Provider]

        public init(resources: [String], providers: [Provider]) {
            self.resources = resources
            self.providers = providers
        }

        public func matches(group: String, resource: String) -> Bool {
            resources.contains { ResourcePattern($0).matches(group: group, resource: resource) }
        }
    }

    public enum Provider: Sendable, Equatable {
        case secretbox(keys: [Key])
        case aesgcm(keys: [Key])
        case identity

        public var name: String {
            switch self {
            case .secretbox: "secretbox"
            case .aesgcm: "aesgcm"
            case .identity: "identity"
            }
        }

        public var keys: [Key] {
            switch self {
            case .secretbox(let keys), .aesgcm(let keys): keys
            case .identity: []
            }
        }

        /// The same provider type holding `keys`.
        public func with(keys: [Key]) -> Provider {
            switch self {
            case .secretbox: .secretbox(keys: keys)
            case .aesgcm: .aesgcm(keys: keys)
            case .identity: .identity
            }
        }
    }

    /// A named key. Its description never shows the secret.
    public struct Key: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var secret: [UInt8]

        public init(name: String, secret: [UInt8]) {
            self.name = name
            self.secret = secret
        }

        public var description: String { "key \(name) (\(secret.count) bytes)" }
    }

    /// The rule that governs one resource: the first whose patterns match.
    public func rule(group: String, resource: String) -> Rule? {
        rules.first { $0.matches(group: group, resource: resource) }
    }
}

/// One entry of a rule's `resources`: `resource[.group]`, `*.group`, `*.` or `*.*`.
struct ResourcePattern: Equatable {
    let resource: String
    let group: String

    init(_ text: String) {
        if let dot = text.firstIndex(of: ".") {
            resource = String(text[..<dot])
            group = String(text[text.index(after: dot)...])
        } else {
            resource = text
            group = ""
        }
    }

    var isWildcard: Bool { resource == "*" }

    func matches(group: String, resource: String) -> Bool {
        mayMatch(group: group, resource: resource)
    }

    /// Whether some resource of `group` (of `resource`, when given) matches.
    func mayMatch(group: String, resource: String?) -> Bool {
        (self.group == "*" || self.group == group) && (isWildcard || resource == nil || self.resource == resource)
    }

    /// Whether every resource this pattern names is already named by `other`.
    func isCovered(by other: ResourcePattern) -> Bool {
        guard other.group == "*" || other.group == group else { return false }
        return other.isWildcard || (!isWildcard && other.resource == resource)
    }
}
