import Foundation
import PalisadeAPI
import Yams

/// Reads an EncryptionConfiguration document strictly: unknown fields, unknown providers,
/// bad keys and overlapping resources are refused with the line and the field path.
enum ConfigurationDecoder {
    static let apiVersion = "apiserver.config.k8s.io/v1"
    static let kind = "EncryptionConfiguration"

    static func decode(_ text: String) throws(EncryptionConfigError) -> EncryptionConfiguration {
        do {
            return try decodeDocument(text)
        } catch {
            throw EncryptionConfigError(line: error.line, field: error.field, error.problem)
        }
    }

    private static func decodeDocument(_ text: String) throws(YAMLFieldError) -> EncryptionConfiguration {
        let document = try YAMLFields(YAMLFields.compose(text), path: nil)
        try document.onlyKnown(["apiVersion", "kind", "resources"])
        let version = try document.string("apiVersion")
        guard version == apiVersion else {
            throw document.error("apiVersion", at: document.node("apiVersion"), "must be \(apiVersion), not \(version)")
        }
        let kindValue = try document.string("kind")
        guard kindValue == kind else { throw document.error("kind", at: document.node("kind"), "must be \(kind), not \(kindValue)") }
        var rules: [EncryptionConfiguration.Rule] = []
        var seenPatterns: [(pattern: ResourcePattern, text: String)] = []
        for (index, entry) in try document.sequence("resources", nonEmpty: true).enumerated() {
            let fields = try YAMLFields(entry, path: "resources[\(index)]")
            try fields.onlyKnown(["resources", "providers"])
            var resources: [String] = []
            for (position, node) in try fields.sequence("resources", nonEmpty: true).enumerated() {
                let path = "resources[\(index)].resources[\(position)]"
                let text = try YAMLFields.scalar(node, path: path)
                try validateResource(text, node: node, path: path, earlier: seenPatterns)
                seenPatterns.append((ResourcePattern(text), text))
                resources.append(text)
            }
            var providers: [EncryptionConfiguration.Provider] = []
            for (position, node) in try fields.sequence("providers", nonEmpty: true).enumerated() {
                providers.append(try provider(node, path: "resources[\(index)].providers[\(position)]"))
            }
            rules.append(.init(resources: resources, providers: providers))
        }
        return EncryptionConfiguration(rules: rules)
    }

    private static func validateResource(
        _ text: String, node: Node, path: String, earlier: [(pattern: ResourcePattern, text: String)]
    ) throws(YAMLFieldError) {
        let located = { (problem: String) in YAMLFieldError(line: node.mark?.line, field: path, problem) }
        guard !text.isEmpty else { throw located("must not be empty") }
        guard text != "*" else { throw located("\"*\" is not allowed; write \"*.\" for the core group or \"*.*\" for everything") }
        guard text.lowercased() == text else { throw located("\"\(text)\" must be lower case") }
        let pattern = ResourcePattern(text)
        guard !["events.k8s.io", "extensions"].contains(pattern.group) else {
            throw located("resources of the group \(pattern.group) cannot be encrypted")
        }
        if let covering = earlier.first(where: { pattern.isCovered(by: $0.pattern) }) {
            throw located("\"\(text)\" is already covered by the earlier entry \"\(covering.text)\"")
        }
    }

    private static func provider(_ node: Node, path: String) throws(YAMLFieldError) -> EncryptionConfiguration.Provider {
        let fields = try YAMLFields(node, path: path)
        guard fields.keys.count == 1, let name = fields.keys.first else {
            throw YAMLFieldError(
                line: node.mark?.line, field: path, "each provider entry names exactly one provider, found \(fields.keys.count)"
            )
        }
        let providerPath = "\(path).\(name)"
        switch name {
        case "identity":
            try YAMLFields(fields.node(name), path: providerPath).onlyKnown([])
            return .identity
        case "secretbox":
            return .secretbox(keys: try keys(fields.node(name), path: providerPath, sizes: [32]))
        case "aesgcm":
            return .aesgcm(keys: try keys(fields.node(name), path: providerPath, sizes: [16, 24, 32]))
        case "aescbc", "kms":
            throw YAMLFieldError(
                line: node.mark?.line, field: providerPath, "provider \(name) is not supported by Palisade (use secretbox, aesgcm or identity)"
            )
        default:
            throw YAMLFieldError(
                line: node.mark?.line, field: providerPath, "unknown provider \"\(name)\" (known: aesgcm, identity, secretbox)"
            )
        }
    }

    private static func keys(_ node: Node?, path: String, sizes: [Int]) throws(YAMLFieldError) -> [EncryptionConfiguration.Key] {
        let fields = try YAMLFields(node, path: path)
        try fields.onlyKnown(["keys"])
        var keys: [EncryptionConfiguration.Key] = []
        for (index, entry) in try fields.sequence("keys", nonEmpty: true).enumerated() {
            let keyFields = try YAMLFields(entry, path: "\(path).keys[\(index)]")
            try keyFields.onlyKnown(["name", "secret"])
            let name = try keyFields.string("name")
            guard !name.isEmpty, !name.contains(":") else {
                throw keyFields.error("name", at: keyFields.node("name"), "must be non-empty and must not contain \":\"")
            }
            guard !keys.contains(where: { $0.name == name }) else {
                throw keyFields.error("name", at: keyFields.node("name"), "duplicate key name \"\(name)\"")
            }
            // The secret is never echoed: only its decoded length is reported.
            guard let secret = Data(base64Encoded: try keyFields.string("secret")) else {
                throw keyFields.error("secret", at: keyFields.node("secret"), "must be base64")
            }
            guard sizes.contains(secret.count) else {
                let expected = sizes.map(String.init).joined(separator: ", ")
                throw keyFields.error("secret", at: keyFields.node("secret"), "key is \(secret.count) bytes; this provider needs \(expected) bytes")
            }
            keys.append(.init(name: name, secret: Array(secret)))
        }
        return keys
    }
}
