import Foundation

/// The apimachinery messages whose JSON form is not an object: `resource.Quantity`,
/// `intstr.IntOrString`, `metav1.Time`/`MicroTime` and `runtime.RawExtension` (also the layout
/// of `metav1.FieldsV1`).
enum WellKnownMessages {
    /// `Quantity{string = 1}`: its text.
    static func quantity(_ bytes: ArraySlice<UInt8>) throws(APIError) -> String {
        var reader = ProtobufReader(bytes)
        var text = ""
        while let (number, wire) = try reader.readField() {
            if number == 1, case .lengthDelimited(let value) = wire {
                text = String(decoding: value, as: UTF8.self)
            }
        }
        return text
    }

    /// `IntOrString{type = 1, intVal = 2, strVal = 3}`: a JSON string when `type` is 1, an integer
    /// otherwise; `nil` for an empty message.
    static func intOrString(_ bytes: ArraySlice<UInt8>) throws(APIError) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        var reader = ProtobufReader(bytes)
        var isString = false
        var number: Int64 = 0
        var text = ""
        while let (field, wire) = try reader.readField() {
            switch (field, wire) {
            case (1, .varint(let kind)): isString = kind == 1
            case (2, .varint(let value)): number = Int64(Int32(truncatingIfNeeded: value))
            case (3, .lengthDelimited(let value)): text = String(decoding: value, as: UTF8.self)
            default: continue
            }
        }
        return isString ? .string(text) : .int(number)
    }

    /// `Time`/`MicroTime{seconds = 1, nanos = 2}` as RFC 3339 text; `nil` for the zero instant,
    /// which Go clients write for an unset time.
    static func timestamp(_ bytes: ArraySlice<UInt8>, fractionalDigits: Int) throws(APIError) -> JSONValue? {
        var reader = ProtobufReader(bytes)
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        while let (field, wire) = try reader.readField() {
            switch (field, wire) {
            case (1, .varint(let value)): seconds = Int64(bitPattern: value)
            case (2, .varint(let value)): nanos = Int64(Int32(truncatingIfNeeded: value))
            default: continue
            }
        }
        if seconds == 0 && nanos == 0 { return nil }
        guard let text = ProtobufTimestamp.format(seconds: seconds, nanos: nanos, fractionalDigits: fractionalDigits) else {
            throw KubernetesProtobuf.malformed("a timestamp is outside 0001-01-01 to 9999-12-31 or has invalid nanoseconds")
        }
        return .string(text)
    }

    /// `RawExtension{raw = 1}`: the embedded JSON document, or its bytes as base64 text when they
    /// are not JSON; `nil` when empty.
    static func rawExtension(_ bytes: ArraySlice<UInt8>) throws(APIError) -> JSONValue? {
        var reader = ProtobufReader(bytes)
        var raw: ArraySlice<UInt8> = []
        while let (field, wire) = try reader.readField() {
            if field == 1, case .lengthDelimited(let value) = wire { raw = value }
        }
        guard !raw.isEmpty else { return nil }
        if let document = try? JSONParser.parse(raw) { return document }
        return .string(Data(raw).base64EncodedString())
    }
}
