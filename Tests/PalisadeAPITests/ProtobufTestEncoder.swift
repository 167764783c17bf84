@testable import PalisadeAPI

/// A minimal protobuf writer for building test bodies the way Go clients do (zero values
/// included when a test asks for them).
struct ProtobufTestEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends bytes as they are, for hand-made wire values.
    mutating func append(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    mutating func tag(_ number: Int, wireType: UInt8) {
        varint(UInt64(number) << 3 | UInt64(wireType))
    }

    mutating func int(_ number: Int, _ value: Int64) {
        tag(number, wireType: 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func bool(_ number: Int, _ value: Bool) {
        int(number, value ? 1 : 0)
    }

    mutating func bytes(_ number: Int, _ value: [UInt8]) {
        tag(number, wireType: 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ number: Int, _ value: String) {
        bytes(number, Array(value.utf8))
    }

    mutating func message(_ number: Int, _ build: (inout ProtobufTestEncoder) -> Void = { _ in }) {
        var inner = ProtobufTestEncoder()
        build(&inner)
        bytes(number, inner.bytes)
    }

    /// One entry of a `map<string, string>` field.
    mutating func entry(_ number: Int, _ key: String, _ value: String) {
        message(number) {
            $0.string(1, key)
            $0.string(2, value)
        }
    }

    /// A whole request body: the `k8s\0` prefix and the `runtime.Unknown` envelope around `raw`.
    static func body(apiVersion: String, kind: String, _ build: (inout ProtobufTestEncoder) -> Void) -> [UInt8] {
        var raw = ProtobufTestEncoder()
        build(&raw)
        var envelope = ProtobufTestEncoder()
        envelope.message(1) {
            $0.string(1, apiVersion)
            $0.string(2, kind)
        }
        envelope.bytes(2, raw.bytes)
        envelope.string(3, "")
        envelope.string(4, "")
        return KubernetesProtobuf.magic + envelope.bytes
    }
}
