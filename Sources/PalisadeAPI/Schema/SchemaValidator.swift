import Foundation

/// Checks a JSON object against its kind's ``ObjectSchema`` the way Kubernetes' strict field
/// validation does: members the schema does not declare, and values of the wrong JSON type.
///
/// `null` is accepted anywhere (Kubernetes treats it as absent). Map members
/// (`metadata.labels[app]`) are never unknown, only their values are checked; objects that
/// preserve unknown fields accept any member but still check the declared ones. Results come in
/// a stable order (object members sorted by name).
public enum SchemaValidator {
    /// The paths of members that `schema` does not declare, e.g. `spec.template.spec.containers[0].imagee`.
    public static func unknownFields(in value: JSONValue, schema: ObjectSchema) -> [FieldPath] {
        var paths: [FieldPath] = []
        collectUnknownFields(value, .object(schema), FieldPath(), into: &paths)
        return paths
    }

    /// One `FieldValueTypeInvalid` cause per value whose JSON type does not fit its field,
    /// e.g. `spec.replicas` given as a string.
    public static func typeErrors(in value: JSONValue, schema: ObjectSchema) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        collectTypeErrors(value, .object(schema), FieldPath(), into: &causes)
        return causes
    }

    private static func collectUnknownFields(
        _ value: JSONValue, _ type: FieldType, _ path: FieldPath, into paths: inout [FieldPath]
    ) {
        switch (type, value) {
        case (.object(let schema), .object(let members)) where !schema.isMicroTime:
            for key in members.keys.sorted() {
                if let field = declaredField(key, in: schema) {
                    collectUnknownFields(members[key]!, field.type, path.child(key), into: &paths)
                } else if !schema.preservesUnknownFields {
                    paths.append(path.child(key))
                }
            }
        case (.map(let valueType), .object(let members)):
            for key in members.keys.sorted() {
                collectUnknownFields(members[key]!, valueType, path.key(key), into: &paths)
            }
        case (.list(let elementType, _), .array(let elements)):
            for (index, element) in elements.enumerated() {
                collectUnknownFields(element, elementType, path.index(index), into: &paths)
            }
        default:
            return
        }
    }

    private static func collectTypeErrors(
        _ value: JSONValue, _ type: FieldType, _ path: FieldPath, into causes: inout [APIError.Cause]
    ) {
        if value.isNull { return }
        switch type {
        case .object(let schema) where !schema.isMicroTime:
            guard case .object(let members) = value else {
                causes.append(mismatch(path, "object", value))
                return
            }
            for key in members.keys.sorted() {
                guard let field = declaredField(key, in: schema) else { continue }
                collectTypeErrors(members[key]!, field.type, path.child(key), into: &causes)
            }
        case .map(let valueType):
            guard case .object(let members) = value else {
                causes.append(mismatch(path, "object", value))
                return
            }
            for key in members.keys.sorted() {
                collectTypeErrors(members[key]!, valueType, path.key(key), into: &causes)
            }
        case .list(let elementType, _):
            guard case .array(let elements) = value else {
                causes.append(mismatch(path, "array", value))
                return
            }
            for (index, element) in elements.enumerated() {
                collectTypeErrors(element, elementType, path.index(index), into: &causes)
            }
        default:
            if let expected = scalarMismatch(value, type) { causes.append(mismatch(path, expected, value)) }
        }
    }

    /// The expected-type text when a scalar `value` does not fit `type`, `nil` when it does.
    /// Objects reaching here are ``ObjectSchema/microTime`` (a string in JSON); maps and lists
    /// never do.
    private static func scalarMismatch(_ value: JSONValue, _ type: FieldType) -> String? {
        switch (type, value) {
        case (.any, _): return nil
        case (.string, .string), (.time, .string), (.object, .string): return nil
        case (.string, _): return "string"
        case (.time, _), (.object, _): return "string (RFC 3339 time)"
        case (.boolean, .bool): return nil
        case (.boolean, _): return "boolean"
        case (.integer, _): return value.intValue == nil ? "integer" : nil
        case (.number, .int), (.number, .double): return nil
        case (.number, _): return "number"
        case (.intOrString, .string): return nil
        case (.intOrString, _): return value.intValue == nil ? "integer or string" : nil
        case (.quantity, .string), (.quantity, .int), (.quantity, .double): return nil
        case (.quantity, _): return "string or number"
        case (.bytes, .string(let text)): return isBase64(text) ? nil : "base64-encoded string"
        case (.bytes, _): return "base64-encoded string"
        case (.map, _), (.list, _): return nil
        }
    }

    /// The schema field a JSON member name refers to; the protobuf-only embedded-struct
    /// marker never matches.
    private static func declaredField(_ key: String, in schema: ObjectSchema) -> FieldSchema? {
        guard let field = schema[key], !ObjectSchema.isEmbeddedMarker(field) else { return nil }
        return field
    }

    /// Standard base64 with padding; line breaks are ignored, as Go's decoder does.
    private static func isBase64(_ text: String) -> Bool {
        let compact = text.filter { $0 != "\n" && $0 != "\r" }
        return Data(base64Encoded: compact) != nil
    }

    private static func mismatch(_ path: FieldPath, _ expected: String, _ value: JSONValue) -> APIError.Cause {
        .typeInvalid(path, expected: expected, got: value.typeName)
    }
}
