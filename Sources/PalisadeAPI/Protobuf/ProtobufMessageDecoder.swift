import Foundation

/// Decodes one protobuf message into a JSON object, driven by an ``ObjectSchema``.
///
/// The rules follow how Go clients (gogo-protobuf) write Kubernetes objects, which spell out
/// zero values explicitly:
/// - a singular field holding an empty string, zero, `false`, empty bytes or an empty message is
///   treated as absent and left out (except messages in ``meaningfulWhenEmpty``); an
///   int-or-string is kept whenever it is present (`maxUnavailable: 0` is a real value), and an
///   all-zero time is absent;
/// - elements of repeated fields and values of maps are always kept, empty or not
///   (`apiGroups: [""]` is a real element);
/// - field numbers the schema does not declare are skipped;
/// - an embedded-struct marker (see ``ObjectSchema/embeddedFieldName``) merges its members into
///   the enclosing object.
struct ProtobufMessageDecoder {
    /// How deep messages may nest before the body is refused.
    static let maximumDepth = 100

    /// Messages whose empty form differs from their absence: an empty label selector selects
    /// everything, an empty `emptyDir` still chooses the volume type.
    static let meaningfulWhenEmpty: Set<String> = ["LabelSelector", "EmptyDirVolumeSource"]

    /// The members of the message in `bytes`, read as `schema`, `depth` levels below the top.
    func decodeObject(
        _ bytes: ArraySlice<UInt8>, schema: ObjectSchema, depth: Int
    ) throws(APIError) -> [String: JSONValue] {
        guard depth <= Self.maximumDepth else {
            throw KubernetesProtobuf.malformed("messages are nested more than \(Self.maximumDepth) levels deep")
        }
        var reader = ProtobufReader(bytes)
        var members: [String: JSONValue] = [:]
        var lists: [String: [JSONValue]] = [:]
        var maps: [String: [String: JSONValue]] = [:]
        while let (number, wire) = try reader.readField() {
            guard let field = schema.fieldsByNumber[number] else { continue }
            let context = Context(field: field, message: schema.name, depth: depth)
            switch field.type {
            case .list(let element, _):
                try appendElements(of: element, from: wire, context, to: &lists[field.name, default: []])
            case .map(let valueType):
                let (key, value) = try mapEntry(valueType, from: wire, context)
                maps[field.name, default: [:]][key] = value
            case .object(let embedded) where ObjectSchema.isEmbeddedMarker(field):
                let inner = try decodeObject(try context.bytes(wire), schema: embedded, depth: depth + 1)
                members.merge(inner) { _, new in new }
            default:
                if let value = try decodeValue(field.type, from: wire, context), !isAbsent(value, as: field.type) {
                    members[field.name] = value
                } else {
                    members.removeValue(forKey: field.name)
                }
            }
        }
        for (name, elements) in lists { members[name] = .array(elements) }
        for (name, entries) in maps { members[name] = .object(entries) }
        return members
    }

    /// Where a value is being decoded, for wire-type checks and error messages.
    struct Context {
        let field: FieldSchema
        let message: String
        let depth: Int

        func mismatch(_ wire: ProtobufWireValue, expected: String) -> APIError {
            KubernetesProtobuf.malformed(
                "field \(field.number) (\(field.name)) of \(message) has a \(wire.wireTypeName) value, expected \(expected)"
            )
        }

        func bytes(_ wire: ProtobufWireValue) throws(APIError) -> ArraySlice<UInt8> {
            guard case .lengthDelimited(let bytes) = wire else { throw mismatch(wire, expected: "length-delimited") }
            return bytes
        }

        func varint(_ wire: ProtobufWireValue) throws(APIError) -> UInt64 {
            guard case .varint(let value) = wire else { throw mismatch(wire, expected: "varint") }
            return value
        }
    }

    /// The JSON value of one wire value of `type`; `nil` for a value that stands for absence
    /// (an all-zero timestamp, an empty int-or-string or raw extension).
    func decodeValue(
        _ type: FieldType, from wire: ProtobufWireValue, _ context: Context
    ) throws(APIError) -> JSONValue? {
        switch type {
        case .string:
            return .string(String(decoding: try context.bytes(wire), as: UTF8.self))
        case .integer:
            return .int(Int64(bitPattern: try context.varint(wire)))
        case .boolean:
            return .bool(try context.varint(wire) != 0)
        case .number:
            switch wire {
            case .fixed64(let bits): return .double(Double(bitPattern: bits))
            case .fixed32(let bits): return .double(Double(Float(bitPattern: bits)))
            default: throw context.mismatch(wire, expected: "a 32- or 64-bit float")
            }
        case .bytes:
            return .string(Data(try context.bytes(wire)).base64EncodedString())
        case .quantity:
            return .string(try WellKnownMessages.quantity(try context.bytes(wire)))
        case .intOrString:
            return try WellKnownMessages.intOrString(try context.bytes(wire))
        case .time:
            return try WellKnownMessages.timestamp(try context.bytes(wire), fractionalDigits: 0)
        case .any:
            return try WellKnownMessages.rawExtension(try context.bytes(wire))
        case .object(let schema) where schema.isMicroTime:
            return try WellKnownMessages.timestamp(try context.bytes(wire), fractionalDigits: 6)
        case .object(let schema):
            return .object(try decodeObject(try context.bytes(wire), schema: schema, depth: context.depth + 1))
        case .list(let element, _):
            // A list that is a map value: a wrapper message whose field 1 repeats the elements.
            var elements: [JSONValue] = []
            var reader = ProtobufReader(try context.bytes(wire))
            while let (number, inner) = try reader.readField() {
                guard number == 1 else { continue }
                try appendElements(of: element, from: inner, context, to: &elements)
            }
            return .array(elements)
        case .map:
            throw KubernetesProtobuf.malformed(
                "field \(context.field.name) of \(context.message) nests maps, which is not supported"
            )
        }
    }

    /// Appends the element(s) one occurrence of a repeated field carries: one element, or
    /// several for a packed repeated scalar.
    private func appendElements(
        of type: FieldType, from wire: ProtobufWireValue, _ context: Context, to elements: inout [JSONValue]
    ) throws(APIError) {
        if case .lengthDelimited(let packed) = wire, type.isVarintScalar {
            var reader = ProtobufReader(packed)
            while !reader.isAtEnd {
                if let value = try decodeValue(type, from: .varint(try reader.readVarint()), context) {
                    elements.append(value)
                }
            }
            return
        }
        if let value = try decodeValue(type, from: wire, context) { elements.append(value) }
    }

    /// One `map<string, V>` entry: a message with the key in field 1 and the value in field 2.
    /// A missing value is the zero value of its type.
    private func mapEntry(
        _ valueType: FieldType, from wire: ProtobufWireValue, _ context: Context
    ) throws(APIError) -> (String, JSONValue) {
        var reader = ProtobufReader(try context.bytes(wire))
        var key = ""
        var value: JSONValue?
        while let (number, inner) = try reader.readField() {
            switch number {
            case 1: key = String(decoding: try context.bytes(inner), as: UTF8.self)
            case 2: value = try decodeValue(valueType, from: inner, context)
            default: continue
            }
        }
        return (key, value ?? valueType.zeroValue)
    }

    /// Whether a singular field's decoded value stands for "not set". Int-or-string, time and raw
    /// values already decode to `nil` when unset, so any value they give is set (`maxUnavailable: 0`).
    private func isAbsent(_ value: JSONValue, as type: FieldType) -> Bool {
        switch type {
        case .intOrString, .time, .any: return false
        case .object(let schema) where schema.isMicroTime: return false
        default: break
        }
        switch value {
        case .string(let text): return text.isEmpty
        case .int(let number): return number == 0
        case .double(let number): return number == 0
        case .bool(let flag): return !flag
        case .array(let elements): return elements.isEmpty
        case .object(let members):
            guard members.isEmpty else { return false }
            if case .object(let schema) = type { return !Self.meaningfulWhenEmpty.contains(schema.name) }
            return true
        case .null: return true
        }
    }
}

extension FieldType {
    /// Whether values of this type are varints, which repeated fields may pack.
    var isVarintScalar: Bool {
        switch self {
        case .integer, .boolean: return true
        default: return false
        }
    }

    /// The JSON value a protobuf reader assumes when a map entry omits its value.
    var zeroValue: JSONValue {
        switch self {
        case .string, .bytes, .quantity, .time: return .string("")
        case .integer, .intOrString: return .int(0)
        case .number: return .double(0)
        case .boolean: return .bool(false)
        case .list: return .array([])
        case .object, .map: return .emptyObject
        case .any: return .null
        }
    }
}
