import Foundation
import PalisadeAPI
import Yams

extension AuditPolicy {
    /// Reads a policy file; any problem names the file, line and field.
    public static func load(path: String) throws(ConfigFileError) -> AuditPolicy {
        try ConfigFile.decode(path, decode)
    }

    /// Decodes an `audit.k8s.io/v1` Policy strictly: unknown fields, unknown levels or
    /// stages, and rules Kubernetes' validation refuses are errors.
    public static func decode(_ text: String) throws(YAMLFieldError) -> AuditPolicy {
        let document = try YAMLFields(YAMLFields.compose(text), path: nil)
        try document.onlyKnown(["apiVersion", "kind", "metadata", "rules", "omitStages", "omitManagedFields"])
        let version = try document.string("apiVersion")
        guard version == "audit.k8s.io/v1" else {
            throw document.error("apiVersion", at: document.node("apiVersion"), "must be audit.k8s.io/v1, not \(version)")
        }
        let kind = try document.string("kind")
        guard kind == "Policy" else { throw document.error("kind", at: document.node("kind"), "must be Policy, not \(kind)") }
        var rules: [Rule] = []
        for (index, node) in try document.sequence("rules", nonEmpty: true).enumerated() {
            rules.append(try rule(YAMLFields(node, path: "rules[\(index)]")))
        }
        return AuditPolicy(rules: rules, omitStages: try stages(document, "omitStages"))
    }

    private static func rule(_ fields: YAMLFields) throws(YAMLFieldError) -> Rule {
        try fields.onlyKnown([
            "level", "users", "userGroups", "verbs", "resources", "namespaces", "nonResourceURLs", "omitStages", "omitManagedFields",
        ])
        let levelText = try fields.string("level")
        guard let level = AuditLevel(rawValue: levelText) else {
            throw fields.error("level", at: fields.node("level"), "unknown level \"\(levelText)\": use None, Metadata, Request or RequestResponse")
        }
        var rule = Rule(level: level)
        rule.users = try fields.strings("users").map(\.value)
        rule.userGroups = try fields.strings("userGroups").map(\.value)
        rule.verbs = try fields.strings("verbs").map(\.value)
        rule.namespaces = try fields.strings("namespaces").map(\.value)
        rule.omitStages = try stages(fields, "omitStages")
        for url in try fields.strings("nonResourceURLs") {
            let starIndex = url.value.firstIndex(of: "*")
            guard url.value.hasPrefix("/") || url.value == "*", starIndex == nil || starIndex == url.value.index(before: url.value.endIndex) else {
                throw YAMLFieldError(line: url.node.mark?.line, field: url.path, "must start with / and may hold * only as the last character")
            }
            rule.nonResourceURLs.append(url.value)
        }
        if fields.node("resources") != nil {
            for (index, node) in try fields.sequence("resources", nonEmpty: false).enumerated() {
                rule.resources.append(try groupResources(YAMLFields(node, path: "\(fields.field("resources"))[\(index)]")))
            }
        }
        if !rule.nonResourceURLs.isEmpty && (!rule.resources.isEmpty || !rule.namespaces.isEmpty) {
            throw fields.error("nonResourceURLs", at: fields.node("nonResourceURLs"), "may not be combined with resources or namespaces")
        }
        return rule
    }

    private static func groupResources(_ fields: YAMLFields) throws(YAMLFieldError) -> GroupResources {
        try fields.onlyKnown(["group", "resources", "resourceNames"])
        let resources = try fields.strings("resources")
        for resource in resources where resource.value.split(separator: "/", omittingEmptySubsequences: false).count > 2 || resource.value.isEmpty {
            throw YAMLFieldError(line: resource.node.mark?.line, field: resource.path, "must be res, res/sub, *, */sub or res/*")
        }
        let names = try fields.strings("resourceNames").map(\.value)
        if !names.isEmpty && resources.isEmpty {
            throw fields.error("resourceNames", at: fields.node("resourceNames"), "needs resources to be set")
        }
        return GroupResources(group: try fields.optionalString("group") ?? "", resources: resources.map(\.value), resourceNames: names)
    }

    private static func stages(_ fields: YAMLFields, _ key: String) throws(YAMLFieldError) -> Set<AuditStage> {
        var stages: Set<AuditStage> = []
        for entry in try fields.strings(key) {
            guard let stage = AuditStage(rawValue: entry.value) else {
                throw YAMLFieldError(line: entry.node.mark?.line, field: entry.path, "unknown stage \"\(entry.value)\"")
            }
            stages.insert(stage)
        }
        return stages
    }
}
