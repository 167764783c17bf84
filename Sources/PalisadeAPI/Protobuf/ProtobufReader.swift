/// One field value as it appears on the protobuf wire, before any schema gives it meaning.
enum ProtobufWireValue {
    case varint(UInt64)
    case fixed64(UInt64)
    case fixed32(UInt32)
    case lengthDelimited(ArraySlice<UInt8>)

    /// The wire type's name, for error messages.
    var wireTypeName: String {
        switch self {
        case .varint: return "varint"
        case .fixed64: return "64-bit"
        case .fixed32: return "32-bit"
        case .lengthDelimited: return "length-delimited"
        }
    }
}

/// Reads protobuf wire format (tags, varints, fixed-width and length-delimited values) from a
/// byte slice, checking every length against what is left, so hostile input ends in an error
/// rather than a crash. Groups (deprecated wire types 3 and 4) are refused.
struct ProtobufReader {
    /// The highest field number protobuf allows (2^29 - 1).
    static let maximumFieldNumber = 536_870_911

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var isAtEnd: Bool { position >= bytes.endIndex }

    /// The next field's number and value, or `nil` at the end of the message.
    mutating func readField() throws(APIError) -> (number: Int, value: ProtobufWireValue)? {
        guard !isAtEnd else { return nil }
        let tag = try readVarint()
        let number = tag >> 3
        guard number >= 1, number <= UInt64(Self.maximumFieldNumber) else {
            throw KubernetesProtobuf.malformed("field number \(number) is out of range")
        }
        let value: ProtobufWireValue
        switch tag & 7 {
        case 0: value = .varint(try readVarint())
        case 1: value = .fixed64(try readFixed(width: 8))
        case 2: value = .lengthDelimited(try readLengthDelimited())
        case 5: value = .fixed32(UInt32(truncatingIfNeeded: try readFixed(width: 4)))
        case 3, 4: throw KubernetesProtobuf.malformed("field \(number) uses protobuf groups, which are not supported")
        default: throw KubernetesProtobuf.malformed("field \(number) has invalid wire type \(tag & 7)")
        }
        return (Int(number), value)
    }

    /// A base-128 varint of at most ten bytes.
    mutating func readVarint() throws(APIError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.endIndex else { throw KubernetesProtobuf.malformed("a varint is truncated") }
            guard shift < 64 else { throw KubernetesProtobuf.malformed("a varint is longer than ten bytes") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A little-endian fixed-width value of `width` bytes (4 or 8).
    private mutating func readFixed(width: Int) throws(APIError) -> UInt64 {
        guard bytes.endIndex - position >= width else {
            throw KubernetesProtobuf.malformed("a \(width * 8)-bit value is truncated")
        }
        var result: UInt64 = 0
        for offset in 0..<width {
            result |= UInt64(bytes[position + offset]) << UInt64(offset * 8)
        }
        position += width
        return result
    }

    /// A length prefix followed by that many bytes, returned without copying.
    private mutating func readLengthDelimited() throws(APIError) -> ArraySlice<UInt8> {
        let length = try readVarint()
        let remaining = bytes.endIndex - position
        guard length <= UInt64(remaining) else {
            throw KubernetesProtobuf.malformed(
                "a length-delimited field claims \(length) bytes but only \(remaining) remain"
            )
        }
        let end = position + Int(length)
        defer { position = end }
        return bytes[position..<end]
    }
}
