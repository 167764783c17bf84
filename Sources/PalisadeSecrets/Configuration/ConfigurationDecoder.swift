import Foundation
import Yams

/// Reads an EncryptionConfiguration document strictly: unknown fields, unknown providers,
/// bad keys and overlapping resources are refused with the line and the field path.
enum ConfigurationDecoder {
    static let apiVersion = "apiserver.config.k8s.io/v1"
    static let kind = "EncryptionConfiguration"

    static func decode(_ text: String) throws(EncryptionConfigError) -> EncryptionConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw EncryptionConfigError("the file is empty") }
            root = node
        } catch let error as EncryptionConfigError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw EncryptionConfigError("the file is not valid YAML")
        }
        let document = try Fields(root, path: nil)
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
            let fields = try Fields(entry, path: "resources[\(index)]")
            try fields.onlyKnown(["resources", "providers"])
            var resources: [String] = []
            for (position, node) in try fields.sequence("resources", nonEmpty: true).enumerated() {
                let path = "resources[\(index)].resources[\(position)]"
                let text = try scalar(node, path: path)
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
    ) throws(EncryptionConfigError) {
        let located = { (problem: String) in EncryptionConfigError(line: node.mark?.line, field: path, problem) }
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

    private static func provider(_ node: Node, path: String) throws(EncryptionConfigError) -> EncryptionConfiguration.Provider {
        let fields = try Fields(node, path: path)
        guard fields.keys.count == 1, let name = fields.keys.first else {
            throw EncryptionConfigError(
                line: node.mark?.line, field: path, "each provider entry names exactly one provider, found \(fields.keys.count)"
            )
        }
        let providerPath = "\(path).\(name)"
        switch name {
        case "identity":
            try Fields(fields.node(name), path: providerPath).onlyKnown([])
            return .identity
        case "secretbox":
            return .secretbox(keys: try keys(fields.node(name), path: providerPath, sizes: [32]))
        case "aesgcm":
            return .aesgcm(keys: try keys(fields.node(name), path: providerPath, sizes: [16, 24, 32]))
        case "aescbc", "kms":
            throw EncryptionConfigError(
                line: node.mark?.line, field: providerPath, "provider \(name) is not supported by Palisade (use secretbox, aesgcm or identity)"
            )
        default:
            throw EncryptionConfigError(
                line: node.mark?.line, field: providerPath, "unknown provider \"\(name)\" (known: aesgcm, identity, secretbox)"
            )
        }
    }

    private static func keys(_ node: Node?, path: String, sizes: [Int]) throws(EncryptionConfigError) -> [EncryptionConfiguration.Key] {
        let fields = try Fields(node, path: path)
        try fields.onlyKnown(["keys"])
        var keys: [EncryptionConfiguration.Key] = []
        for (index, entry) in try fields.sequence("keys", nonEmpty: true).enumerated() {
            let keyFields = try Fields(entry, path: "\(path).keys[\(index)]")
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

    private static func scalar(_ node: Node, path: String) throws(EncryptionConfigError) -> String {
        guard let scalar = node.scalar else { throw EncryptionConfigError(line: node.mark?.line, field: path, "must be a string") }
        return scalar.string
    }

    private static func syntaxError(_ error: YamlError) -> EncryptionConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return EncryptionConfigError(line: mark.line, "not valid YAML: \(problem)")
        default:
            return EncryptionConfigError("the file is not valid YAML")
        }
    }
}

/// A YAML mapping with its field path, for located errors.
private struct Fields {
    let mapping: Node.Mapping
    let path: String?
    let line: Int?

    init(_ node: Node?, path: String?) throws(EncryptionConfigError) {
        guard let node, let mapping = node.mapping else {
            throw EncryptionConfigError(line: node?.mark?.line, field: path, "must be a mapping")
        }
        self.mapping = mapping
        self.path = path
        line = node.mark?.line
    }

    var keys: [String] { mapping.keys.compactMap(\.string) }

    func node(_ key: String) -> Node? { mapping[key] }

    func field(_ key: String) -> String { path.map { "\($0).\(key)" } ?? key }

    func error(_ key: String, at node: Node?, _ problem: String) -> EncryptionConfigError {
        EncryptionConfigError(line: node?.mark?.line ?? line, field: field(key), problem)
    }

    func onlyKnown(_ known: Set<String>) throws(EncryptionConfigError) {
        for key in mapping.keys where !known.contains(key.string ?? "") {
            throw EncryptionConfigError(line: key.mark?.line, field: field(key.string ?? "?"), "unknown field")
        }
    }

    func string(_ key: String) throws(EncryptionConfigError) -> String {
        guard let value = node(key) else { throw error(key, at: nil, "required") }
        guard let scalar = value.scalar else { throw error(key, at: value, "must be a string") }
        return scalar.string
    }

    func sequence(_ key: String, nonEmpty: Bool) throws(EncryptionConfigError) -> [Node] {
        guard let value = node(key) else { throw error(key, at: nil, "required") }
        guard let sequence = value.sequence else { throw error(key, at: value, "must be a list") }
        if nonEmpty && sequence.isEmpty { throw error(key, at: value, "must not be empty") }
        return Array(sequence)
    }
}
