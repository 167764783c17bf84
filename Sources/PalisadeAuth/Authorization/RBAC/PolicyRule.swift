import PalisadeAPI

/// One entry of a Role's or ClusterRole's `rules`: the verbs allowed on some resources
/// (`apiGroups` × `resources`, optionally narrowed to `resourceNames`) or on some
/// non-resource URL paths (`nonResourceURLs`).
///
/// Rules only ever add permissions. `*` in `verbs`, `apiGroups`, `resources` or
/// `nonResourceURLs` stands for everything; see `PolicyRule+Matching.swift` for the exact
/// matching semantics.
public struct PolicyRule: Sendable, Hashable {
    /// The wildcard accepted in every list of a rule.
    public static let all = "*"

    /// Verbs such as `get` or `create`, or `*`.
    public var verbs: [String]
    /// API groups; the core group is `""`.
    public var apiGroups: [String]
    /// Resources as `resource`, `resource/subresource`, `*/subresource` or `*`.
    public var resources: [String]
    /// Object names; empty means any name.
    public var resourceNames: [String]
    /// URL paths such as `/healthz`, `/apis/*` or `*`.
    public var nonResourceURLs: [String]

    /// A rule from its lists; the ones not given are empty.
    public init(
        verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [],
        nonResourceURLs: [String] = []
    ) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// Reads a `rbac.authorization.k8s.io/v1` PolicyRule object. Missing lists are empty;
    /// entries that are not strings are skipped (validation rejects them before storage).
    public init(json: JSONValue) {
        func strings(_ key: String) -> [String] {
            json[key]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        self.init(
            verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
            resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs")
        )
    }

    /// The rule in its Kubernetes JSON shape. `verbs` is always present; the other lists are
    /// omitted when empty, as the API server serializes them.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["verbs": .array(verbs.map(JSONValue.string))]
        let optional: [(String, [String])] = [
            ("apiGroups", apiGroups), ("resources", resources), ("resourceNames", resourceNames),
            ("nonResourceURLs", nonResourceURLs),
        ]
        for (key, values) in optional where !values.isEmpty {
            object[key] = .array(values.map(JSONValue.string))
        }
        return .object(object)
    }

    /// Reads the `rules` array of a Role or ClusterRole object; anything else gives no rules.
    public static func rules(from value: JSONValue?) -> [PolicyRule] {
        (value?.arrayValue ?? []).compactMap { $0.objectValue == nil ? nil : PolicyRule(json: $0) }
    }

    /// Whether the rule speaks about API resources (it may in principle also list URLs).
    public var isResourceRule: Bool { !resources.isEmpty }

    /// Whether the rule speaks about non-resource URL paths.
    public var isNonResourceRule: Bool { !nonResourceURLs.isEmpty }
}

extension PolicyRule: CustomStringConvertible {
    /// The compact form Kubernetes prints in escalation errors, listing only the non-empty
    /// fields: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}`.
    public var description: String {
        func quoted(_ values: [String]) -> String {
            "[" + values.map(Self.goQuoted).joined(separator: " ") + "]"
        }
        let parts: [(String, [String])] = [
            ("APIGroups", apiGroups), ("Resources", resources), ("NonResourceURLs", nonResourceURLs),
            ("ResourceNames", resourceNames), ("Verbs", verbs),
        ]
        let shown = parts.filter { !$0.1.isEmpty }.map { "\($0.0):\(quoted($0.1))" }
        return "{" + shown.joined(separator: ", ") + "}"
    }

    /// A double-quoted string with `"` and `\` escaped, close to Go's `%q` for printable text.
    private static func goQuoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
