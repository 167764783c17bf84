/// JSON Patch (RFC 6902, `application/json-patch+json`): an array of operations applied in order.
///
/// The patch is atomic: when any operation fails, the error is thrown and nothing is applied.
/// As in Kubernetes, `test` compares numbers by value (`1` equals `1.0`).
public enum JSONPatch {
    /// Applies `patch` to `document`.
    ///
    /// - Throws: `400 BadRequest` when the patch is malformed (not an array, an operation without
    ///   `op`/`path`/`value`/`from`, an unknown `op`, bad pointer syntax, a move into its own child);
    ///   `422 Invalid` when a well-formed operation does not apply (missing path, index out of range,
    ///   failed `test`).
    public static func apply(_ patch: JSONValue, to document: JSONValue) throws(APIError) -> JSONValue {
        guard case .array(let elements) = patch else {
            throw .badRequest("a JSON patch must be an array of operations, got \(patch.typeName)")
        }
        var operations: [Operation] = []
        operations.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            operations.append(try Operation(parsing: element, index: index))
        }
        var result = document
        for operation in operations {
            try operation.apply(to: &result)
        }
        return result
    }
}

extension JSONPatch {
    /// One parsed operation.
    enum Operation: Sendable {
        case add(JSONPointer, JSONValue)
        case remove(JSONPointer)
        case replace(JSONPointer, JSONValue)
        case move(from: JSONPointer, to: JSONPointer)
        case copy(from: JSONPointer, to: JSONPointer)
        case test(JSONPointer, JSONValue)

        init(parsing element: JSONValue, index: Int) throws(APIError) {
            guard case .object(let members) = element else {
                throw .badRequest("JSON patch operation \(index) must be an object, got \(element.typeName)")
            }
            guard let name = members["op"]?.stringValue else {
                throw .badRequest("JSON patch operation \(index) has no \"op\" string")
            }
            func pointer(_ member: String) throws(APIError) -> JSONPointer {
                guard let text = members[member]?.stringValue else {
                    throw .badRequest("JSON patch \(name) operation \(index) has no \"\(member)\" string")
                }
                return try JSONPointer(parsing: text)
            }
            func value() throws(APIError) -> JSONValue {
                guard let value = members["value"] else {
                    throw .badRequest("JSON patch \(name) operation \(index) has no \"value\"")
                }
                return value
            }
            switch name {
            case "add": self = .add(try pointer("path"), try value())
            case "remove": self = .remove(try pointer("path"))
            case "replace": self = .replace(try pointer("path"), try value())
            case "test": self = .test(try pointer("path"), try value())
            case "copy": self = .copy(from: try pointer("from"), to: try pointer("path"))
            case "move":
                let from = try pointer("from")
                let to = try pointer("path")
                if to != from && to.isWithin(from) {
                    throw .badRequest("JSON patch move operation \(index) cannot move \"\(from)\" into its own child \"\(to)\"")
                }
                self = .move(from: from, to: to)
            default:
                throw .badRequest("JSON patch operation \(index) has unknown op \"\(name)\"")
            }
        }

        func apply(to document: inout JSONValue) throws(APIError) {
            switch self {
            case .add(let path, let value):
                try JSONPatch.insert(value, at: path, in: &document, operation: "add")
            case .remove(let path):
                _ = try JSONPatch.remove(at: path, in: &document, operation: "remove", role: "path")
            case .replace(let path, let value):
                try JSONPatch.replace(at: path, with: value, in: &document)
            case .move(let from, let to):
                guard from != to else {
                    guard from.value(in: document) != nil else { throw JSONPatch.missing("move", "from path", from) }
                    return
                }
                let value = try JSONPatch.remove(at: from, in: &document, operation: "move", role: "from path")
                try JSONPatch.insert(value, at: to, in: &document, operation: "move")
            case .copy(let from, let to):
                guard let value = from.value(in: document) else { throw JSONPatch.missing("copy", "from path", from) }
                try JSONPatch.insert(value, at: to, in: &document, operation: "copy")
            case .test(let path, let expected):
                guard let actual = path.value(in: document) else { throw JSONPatch.missing("test", "path", path) }
                guard actual.semanticallyEquals(expected) else {
                    throw .patchNotApplicable("jsonpatch test operation failed: value at path \"\(path)\" does not match")
                }
            }
        }
    }
}

extension JSONPatch {
    /// RFC 6902 `add`: sets an object member, or inserts into an array at an index or at `-` (the end).
    static func insert(
        _ value: JSONValue, at path: JSONPointer, in document: inout JSONValue, operation: String
    ) throws(APIError) {
        try editParent(of: path, in: &document, operation: operation) { (container, token) throws(APIError) in
            switch container {
            case .object(var members):
                container = .null
                members[token] = value
                container = .object(members)
            case .array(var elements):
                let index =
                    token == "-" ? elements.count : JSONPointer.arrayIndex(token, count: elements.count, allowingEnd: true)
                guard let index else { throw outOfRange(operation, path) }
                container = .null
                elements.insert(value, at: index)
                container = .array(elements)
            default:
                throw missing(operation, "path", path)
            }
        } whole: { root in
            root = value
        }
    }

    /// RFC 6902 `remove`; returns the removed value (for `move`).
    static func remove(
        at path: JSONPointer, in document: inout JSONValue, operation: String, role: String
    ) throws(APIError) -> JSONValue {
        var removed = JSONValue.null
        try editParent(of: path, in: &document, operation: operation, role: role) { (container, token) throws(APIError) in
            switch container {
            case .object(var members):
                container = .null
                guard let value = members.removeValue(forKey: token) else { throw missing(operation, role, path) }
                removed = value
                container = .object(members)
            case .array(var elements):
                guard let index = JSONPointer.arrayIndex(token, count: elements.count, allowingEnd: false) else {
                    throw outOfRange(operation, path)
                }
                container = .null
                removed = elements.remove(at: index)
                container = .array(elements)
            default:
                throw missing(operation, role, path)
            }
        } whole: { (_: inout JSONValue) throws(APIError) in
            throw .patchNotApplicable("jsonpatch \(operation) operation does not apply: cannot remove the whole document")
        }
        return removed
    }

    /// RFC 6902 `replace`: the target must exist.
    static func replace(at path: JSONPointer, with value: JSONValue, in document: inout JSONValue) throws(APIError) {
        try editParent(of: path, in: &document, operation: "replace") { (container, token) throws(APIError) in
            switch container {
            case .object(var members):
                guard members[token] != nil else { throw missing("replace", "path", path) }
                container = .null
                members[token] = value
                container = .object(members)
            case .array(var elements):
                guard let index = JSONPointer.arrayIndex(token, count: elements.count, allowingEnd: false) else {
                    throw outOfRange("replace", path)
                }
                container = .null
                elements[index] = value
                container = .array(elements)
            default:
                throw missing("replace", "path", path)
            }
        } whole: { root in
            root = value
        }
    }

    /// Walks to the value containing the pointer's last token and lets `edit` change it in place;
    /// `whole` handles the empty pointer. A missing intermediate step is a 422.
    private static func editParent(
        of path: JSONPointer,
        in document: inout JSONValue,
        operation: String,
        role: String = "path",
        _ edit: (inout JSONValue, String) throws(APIError) -> Void,
        whole: (inout JSONValue) throws(APIError) -> Void
    ) throws(APIError) {
        guard let last = path.tokens.last else {
            try whole(&document)
            return
        }
        try descend(path.tokens.dropLast(), in: &document) { (container) throws(APIError) in
            try edit(&container, last)
        } missing: {
            missing(operation, role, path)
        }
    }

    /// Edits the value at `tokens` below `value` in place, releasing each level while its child
    /// is edited so that arrays and dictionaries are mutated without copying.
    private static func descend(
        _ tokens: ArraySlice<String>,
        in value: inout JSONValue,
        _ edit: (inout JSONValue) throws(APIError) -> Void,
        missing: () -> APIError
    ) throws(APIError) {
        guard let token = tokens.first else {
            try edit(&value)
            return
        }
        switch value {
        case .object(var members):
            guard var child = members.removeValue(forKey: token) else { throw missing() }
            value = .null
            try descend(tokens.dropFirst(), in: &child, edit, missing: missing)
            members[token] = child
            value = .object(members)
        case .array(var elements):
            guard let index = JSONPointer.arrayIndex(token, count: elements.count, allowingEnd: false) else {
                throw missing()
            }
            value = .null
            var child = elements[index]
            elements[index] = .null
            try descend(tokens.dropFirst(), in: &child, edit, missing: missing)
            elements[index] = child
            value = .array(elements)
        default:
            throw missing()
        }
    }

    private static func missing(_ operation: String, _ role: String, _ path: JSONPointer) -> APIError {
        .patchNotApplicable("jsonpatch \(operation) operation does not apply: doc is missing \(role): \"\(path)\"")
    }

    private static func outOfRange(_ operation: String, _ path: JSONPointer) -> APIError {
        .patchNotApplicable(
            "jsonpatch \(operation) operation does not apply: array index out of range or invalid in path: \"\(path)\"")
    }
}
