import Foundation
import PalisadeAPI
import Yams

/// The cluster-wide Pod Security settings, in Kubernetes' `PodSecurityConfiguration` format
/// (`policies/pod-security.yaml`): the policy of namespaces without labels, and who or what
/// is exempt from evaluation.
public struct PodSecurityConfiguration: Sendable, Hashable {
    public struct Exemptions: Sendable, Hashable {
        public var usernames: Set<String> = []
        public var runtimeClasses: Set<String> = []
        public var namespaces: Set<String> = []

        public init(usernames: Set<String> = [], runtimeClasses: Set<String> = [], namespaces: Set<String> = []) {
            self.usernames = usernames
            self.runtimeClasses = runtimeClasses
            self.namespaces = namespaces
        }
    }

    public var defaults: PodSecurityPolicy
    public var exemptions: Exemptions

    public init(defaults: PodSecurityPolicy = .privileged, exemptions: Exemptions = Exemptions()) {
        self.defaults = defaults
        self.exemptions = exemptions
    }

    /// The API versions Kubernetes has published for this format; the fields are the same.
    static let apiVersions: Set<String> = [
        "pod-security.admission.config.k8s.io/v1",
        "pod-security.admission.config.k8s.io/v1beta1",
        "pod-security.admission.config.k8s.io/v1alpha1",
    ]

    /// Reads a configuration strictly: unknown fields, bad levels or versions and malformed
    /// exemptions are refused with the line and the field path.
    public static func decode(_ text: String) throws(YAMLFieldError) -> PodSecurityConfiguration {
        let document = try YAMLFields(YAMLFields.compose(text), path: nil)
        try document.onlyKnown(["apiVersion", "kind", "defaults", "exemptions"])
        let version = try document.string("apiVersion")
        guard apiVersions.contains(version) else {
            throw document.error("apiVersion", at: document.node("apiVersion"), "must be pod-security.admission.config.k8s.io/v1, not \(version)")
        }
        let kind = try document.string("kind")
        guard kind == "PodSecurityConfiguration" else {
            throw document.error("kind", at: document.node("kind"), "must be PodSecurityConfiguration, not \(kind)")
        }
        var configuration = PodSecurityConfiguration()
        if let node = document.node("defaults") {
            configuration.defaults = try defaults(YAMLFields(node, path: "defaults"))
        }
        if let node = document.node("exemptions") {
            configuration.exemptions = try exemptions(YAMLFields(node, path: "exemptions"))
        }
        return configuration
    }

    /// Reads the file at `path`; errors name it.
    public static func load(path: String) throws(ConfigFileError) -> PodSecurityConfiguration {
        try ConfigFile.decode(path, decode)
    }

    private static func defaults(_ fields: YAMLFields) throws(YAMLFieldError) -> PodSecurityPolicy {
        try fields.onlyKnown(Set(PodSecurityMode.allCases.flatMap { [$0.rawValue, "\($0.rawValue)-version"] }))
        var policy = PodSecurityPolicy.privileged
        for mode in PodSecurityMode.allCases {
            if let text = try fields.optionalString(mode.rawValue) {
                guard let level = PodSecurityLevel(rawValue: text) else {
                    throw fields.error(mode.rawValue, at: fields.node(mode.rawValue), PodSecurityLevel.invalidLabelMessage)
                }
                policy[mode].level = level
            }
            let versionKey = "\(mode.rawValue)-version"
            if let text = try fields.optionalString(versionKey) {
                guard let version = PodSecurityVersion(text) else {
                    throw fields.error(versionKey, at: fields.node(versionKey), PodSecurityVersion.invalidLabelMessage)
                }
                policy[mode].version = version
            }
        }
        return policy
    }

    private static func exemptions(_ fields: YAMLFields) throws(YAMLFieldError) -> Exemptions {
        try fields.onlyKnown(["usernames", "runtimeClasses", "namespaces"])
        var exemptions = Exemptions()
        exemptions.usernames = try names(fields, "usernames", isValid: { !$0.isEmpty }, rule: "must not be empty")
        exemptions.runtimeClasses = try names(fields, "runtimeClasses", isValid: { NameRules.dns1123SubdomainErrors($0).isEmpty }, rule: "must be a DNS subdomain")
        exemptions.namespaces = try names(fields, "namespaces", isValid: { NameRules.dns1123LabelErrors($0).isEmpty }, rule: "must be a DNS label")
        return exemptions
    }

    private static func names(
        _ fields: YAMLFields, _ key: String, isValid: (String) -> Bool, rule: String
    ) throws(YAMLFieldError) -> Set<String> {
        var names: Set<String> = []
        for entry in try fields.strings(key) {
            guard isValid(entry.value) else {
                throw YAMLFieldError(line: entry.node.mark?.line, field: entry.path, "\"\(entry.value)\" \(rule)")
            }
            guard names.insert(entry.value).inserted else {
                throw YAMLFieldError(line: entry.node.mark?.line, field: entry.path, "duplicate entry \"\(entry.value)\"")
            }
        }
        return names
    }
}
