/// Drops the members a schema does not declare, as decoding into Kubernetes' Go types does:
/// a built-in kind never stores a field the server does not know.
public enum SchemaPruner {
    public static func prune(_ value: JSONValue, schema: ObjectSchema) -> JSONValue {
        prune(value, .object(schema))
    }

    private static func prune(_ value: JSONValue, _ type: FieldType) -> JSONValue {
        switch (type, value) {
        case (.object(let schema), .object(let members)) where !schema.isMicroTime:
            var kept: [String: JSONValue] = [:]
            for (key, member) in members {
                if let field = schema[key], !ObjectSchema.isEmbeddedMarker(field) {
                    kept[key] = prune(member, field.type)
                } else if schema.preservesUnknownFields {
                    kept[key] = member
                }
            }
            return .object(kept)
        case (.map(let valueType), .object(let members)):
            return .object(members.mapValues { prune($0, valueType) })
        case (.list(let elementType, _), .array(let elements)):
            return .array(elements.map { prune($0, elementType) })
        default:
            return value
        }
    }
}
