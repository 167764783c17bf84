/// The declared shapes of the Go types behind the served kinds, one `static let` per type.
///
/// Each declaration gives the JSON name, the protobuf field number and the type of every field,
/// taken from Kubernetes' `generated.proto` and `types.go`. Two conventions bridge the places where
/// JSON and protobuf disagree:
///
/// - **JSON-only members** carry number ``ObjectSchema/jsonOnlyNumber`` (0, never a valid protobuf
///   field number): `apiVersion` and `kind` of a top-level kind (they travel in the protobuf
///   envelope, not in the message) and the flattened members of an embedded struct.
/// - **Embedded structs** (Go fields without a JSON name, such as `VolumeSource` inside `Volume`)
///   are one nested message in protobuf but flattened into the parent in JSON. The parent carries
///   a marker field named ``ObjectSchema/embeddedFieldName`` with the protobuf number and the
///   embedded schema, plus a JSON-only copy of each embedded member, so `fields` answers JSON
///   lookups directly and `fieldsByNumber` answers the protobuf decoder.
enum Schemas {}

extension ObjectSchema {
    /// The name of the marker field that carries an embedded (inlined) struct in protobuf.
    public static let embeddedFieldName = ""

    /// The field number of members that exist only in JSON (TypeMeta, flattened embedded members).
    public static let jsonOnlyNumber = 0

    /// `metav1.MicroTime`: `{seconds, nanos}` in protobuf, RFC 3339 text with microseconds in JSON.
    /// ``FieldType`` has no case of its own for it, so it is this well-known object schema.
    public static let microTime = ObjectSchema("MicroTime", [.integer("seconds", 1), .integer("nanos", 2)])

    /// Whether this is the ``microTime`` marker schema, whose JSON form is a string.
    public var isMicroTime: Bool { name == ObjectSchema.microTime.name && fields.count == 2 }

    /// Whether a field is the protobuf-only marker of an embedded struct.
    public static func isEmbeddedMarker(_ field: FieldSchema) -> Bool { field.name == embeddedFieldName }

    /// An object whose protobuf message nests `embedded` under field `number` while JSON
    /// flattens the embedded members into the object itself.
    static func embedding(
        _ name: String, _ embedded: ObjectSchema, at number: Int, _ fields: [FieldSchema] = []
    ) -> ObjectSchema {
        var all = fields
        all.append(FieldSchema(embeddedFieldName, number, .object(embedded)))
        for member in embedded.fields.values.sorted(by: { $0.name < $1.name }) where !isEmbeddedMarker(member) {
            all.append(FieldSchema(member.name, jsonOnlyNumber, member.type))
        }
        return ObjectSchema(name, all)
    }

    /// An object with TypeMeta (`apiVersion`, `kind`, JSON-only) and no metadata, e.g. `DeleteOptions`.
    static func typed(_ name: String, _ fields: [FieldSchema]) -> ObjectSchema {
        ObjectSchema(name, [.string("apiVersion", jsonOnlyNumber), .string("kind", jsonOnlyNumber)] + fields)
    }

    /// A top-level kind: TypeMeta, `metadata` (1), then `fields`.
    static func kind(_ name: String, _ fields: [FieldSchema]) -> ObjectSchema {
        typed(name, [.object("metadata", 1, Schemas.objectMeta)] + fields)
    }

    /// A top-level kind of the common shape `metadata` (1), `spec` (2) and optionally `status` (3).
    static func kind(_ name: String, spec: ObjectSchema, status: ObjectSchema? = nil) -> ObjectSchema {
        var fields: [FieldSchema] = [.object("spec", 2, spec)]
        if let status { fields.append(.object("status", 3, status)) }
        return kind(name, fields)
    }
}

extension FieldSchema {
    static func string(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .string) }
    static func integer(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .integer) }
    static func boolean(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .boolean) }
    static func bytes(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .bytes) }
    static func quantity(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .quantity) }
    static func intOrString(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .intOrString) }
    static func time(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .time) }
    static func any(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .any) }

    static func microTime(_ name: String, _ number: Int) -> FieldSchema {
        FieldSchema(name, number, .object(ObjectSchema.microTime))
    }

    static func object(_ name: String, _ number: Int, _ schema: ObjectSchema) -> FieldSchema {
        FieldSchema(name, number, .object(schema))
    }

    /// A repeated message field.
    static func list(
        _ name: String, _ number: Int, _ schema: ObjectSchema, _ strategy: ListStrategy = .atomic
    ) -> FieldSchema {
        FieldSchema(name, number, .list(.object(schema), strategy))
    }

    /// A repeated string field.
    static func strings(_ name: String, _ number: Int, _ strategy: ListStrategy = .atomic) -> FieldSchema {
        FieldSchema(name, number, .list(.string, strategy))
    }

    /// A repeated integer field.
    static func integers(_ name: String, _ number: Int) -> FieldSchema {
        FieldSchema(name, number, .list(.integer, .atomic))
    }

    static func stringMap(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .map(.string)) }
    static func bytesMap(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .map(.bytes)) }
    static func quantityMap(_ name: String, _ number: Int) -> FieldSchema { FieldSchema(name, number, .map(.quantity)) }

    /// `map<string, ExtraValue>`: a list of strings per key. In protobuf each value is a message
    /// whose field 1 holds the strings (the convention for named slice types).
    static func extraMap(_ name: String, _ number: Int) -> FieldSchema {
        FieldSchema(name, number, .map(.list(.string, .atomic)))
    }
}
