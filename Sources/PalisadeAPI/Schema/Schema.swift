/// The shape of a served kind, declared once and used by every layer that needs it:
/// strict field validation (unknown fields, wrong types), strategic merge patch (merge keys
/// and list strategies), the protobuf request decoder (field numbers) and OpenAPI.
public indirect enum FieldType: Sendable {
    case string
    case integer
    case number
    case boolean
    /// Raw bytes; base64 text in JSON.
    case bytes
    /// `resource.Quantity` (`"500m"`, `1Gi`, or a bare number).
    case quantity
    /// `intstr.IntOrString`.
    case intOrString
    /// `metav1.Time`: RFC 3339 text in JSON, `{seconds, nanos}` in protobuf.
    case time
    /// Free-form JSON that is stored as sent (`runtime.RawExtension`, `JSON`).
    case any
    case object(ObjectSchema)
    /// `map<string, T>`.
    case map(FieldType)
    case list(FieldType, ListStrategy)
}

/// How a strategic merge patch treats a list (`patchStrategy`/`patchMergeKey` in Kubernetes' Go types).
public enum ListStrategy: Sendable, Equatable {
    /// The patch's list replaces the whole list (no patchStrategy).
    case atomic
    /// A list of scalars merged as a set (`patchStrategy:"merge"` on a primitive list, e.g. finalizers).
    case set
    /// A list of objects merged by the value of `key` (`patchStrategy:"merge" patchMergeKey:"name"`).
    case merge(key: String)
}

/// One field of an object: its JSON name, its protobuf field number, its type.
public struct FieldSchema: Sendable {
    public let name: String
    public let number: Int
    public let type: FieldType

    public init(_ name: String, _ number: Int, _ type: FieldType) {
        self.name = name
        self.number = number
        self.type = type
    }
}

/// An object type: its fields by name and by protobuf number.
public struct ObjectSchema: Sendable {
    public let name: String
    public let fields: [String: FieldSchema]
    public let fieldsByNumber: [Int: FieldSchema]
    /// Members not declared are kept without complaint (`x-kubernetes-preserve-unknown-fields`).
    public let preservesUnknownFields: Bool

    public init(_ name: String, preservesUnknownFields: Bool = false, _ fields: [FieldSchema]) {
        self.name = name
        self.preservesUnknownFields = preservesUnknownFields
        var byName: [String: FieldSchema] = [:]
        var byNumber: [Int: FieldSchema] = [:]
        for field in fields {
            byName[field.name] = field
            byNumber[field.number] = field
        }
        self.fields = byName
        self.fieldsByNumber = byNumber
    }

    public subscript(field: String) -> FieldSchema? { fields[field] }
}
