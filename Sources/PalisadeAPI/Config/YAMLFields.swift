import Yams

/// A problem at a place in a YAML configuration document: the line and the field path, so
/// the caller can name the file too.
public struct YAMLFieldError: Error, Sendable, Equatable {
    public let line: Int?
    public let field: String?
    public let problem: String

    public init(line: Int? = nil, field: String? = nil, _ problem: String) {
        self.line = line
        self.field = field
        self.problem = problem
    }
}

/// A YAML mapping with its field path, for strict decoding of configuration files: unknown
/// fields and wrong types are errors that carry the line and the path.
public struct YAMLFields {
    public let mapping: Node.Mapping
    public let path: String?
    public let line: Int?

    public init(_ node: Node?, path: String?) throws(YAMLFieldError) {
        guard let node, let mapping = node.mapping else {
            throw YAMLFieldError(line: node?.mark?.line, field: path, "must be a mapping")
        }
        self.mapping = mapping
        self.path = path
        line = node.mark?.line
    }

    /// The root node of a single-document text; syntax errors carry their line and never
    /// echo the document (it may hold keys).
    public static func compose(_ text: String) throws(YAMLFieldError) -> Node {
        guard let node = try composeIfPresent(text) else { throw YAMLFieldError("the file is empty") }
        return node
    }

    /// The root node, or nil for a document with no content (only comments, say).
    public static func composeIfPresent(_ text: String) throws(YAMLFieldError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw YAMLFieldError(line: mark.line, "not valid YAML: \(problem)")
            default:
                throw YAMLFieldError("the file is not valid YAML")
            }
        } catch {
            throw YAMLFieldError("the file is not valid YAML")
        }
    }

    public var keys: [String] { mapping.keys.compactMap(\.string) }

    public func node(_ key: String) -> Node? { mapping[key] }

    public func field(_ key: String) -> String { path.map { "\($0).\(key)" } ?? key }

    public func error(_ key: String, at node: Node?, _ problem: String) -> YAMLFieldError {
        YAMLFieldError(line: node?.mark?.line ?? line, field: field(key), problem)
    }

    public func onlyKnown(_ known: Set<String>) throws(YAMLFieldError) {
        for key in mapping.keys where !known.contains(key.string ?? "") {
            throw YAMLFieldError(line: key.mark?.line, field: field(key.string ?? "?"), "unknown field")
        }
    }

    public func string(_ key: String) throws(YAMLFieldError) -> String {
        guard let value = node(key) else { throw error(key, at: nil, "required") }
        return try Self.scalar(value, path: field(key))
    }

    /// The string at `key`, or nil when the field is absent.
    public func optionalString(_ key: String) throws(YAMLFieldError) -> String? {
        guard let value = node(key) else { return nil }
        return try Self.scalar(value, path: field(key))
    }

    public func sequence(_ key: String, nonEmpty: Bool) throws(YAMLFieldError) -> [Node] {
        guard let value = node(key) else { throw error(key, at: nil, "required") }
        guard let sequence = value.sequence else { throw error(key, at: value, "must be a list") }
        if nonEmpty && sequence.isEmpty { throw error(key, at: value, "must not be empty") }
        return Array(sequence)
    }

    /// The strings of an optional list, with the node of each for located errors.
    public func strings(_ key: String) throws(YAMLFieldError) -> [(value: String, node: Node, path: String)] {
        guard node(key) != nil else { return [] }
        var strings: [(value: String, node: Node, path: String)] = []
        for (index, element) in try sequence(key, nonEmpty: false).enumerated() {
            let path = "\(field(key))[\(index)]"
            strings.append((try Self.scalar(element, path: path), element, path))
        }
        return strings
    }

    public static func scalar(_ node: Node, path: String) throws(YAMLFieldError) -> String {
        guard let scalar = node.scalar else { throw YAMLFieldError(line: node.mark?.line, field: path, "must be a string") }
        return scalar.string
    }
}
