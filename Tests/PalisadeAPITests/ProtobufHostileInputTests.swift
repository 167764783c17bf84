import Testing
@testable import PalisadeAPI

/// Malformed and hostile protobuf bodies end in a 400 (or 415 for unknown kinds), never a crash.
struct ProtobufHostileInputTests {
    static let namespaceBody = SchemaFixture.hex(
        "6b3873000a0f0a02763112094e616d657370616365121e0a160a067465616d2d6112001a0022002a0032003800420012001a020a001a002200"
    )

    private func expectBadRequest(_ body: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try KubernetesProtobuf.decode(body)
            Issue.record("expected the body to be refused", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == 400, sourceLocation: sourceLocation)
            #expect(error.message.hasPrefix("the protobuf request body is malformed"), sourceLocation: sourceLocation)
        }
    }

    @Test func refusesBodyWithoutPrefix() {
        expectBadRequest([])
        expectBadRequest(Array("{\"kind\":\"Pod\"}".utf8))
        expectBadRequest([0x6b, 0x38, 0x73])
    }

    @Test func everyTruncationIsRefusedOrDecoded() {
        for length in 0..<Self.namespaceBody.count {
            let prefix = Array(Self.namespaceBody.prefix(length))
            do {
                _ = try KubernetesProtobuf.decode(prefix)
            } catch {
                #expect(error.code == 400, "prefix of \(length) bytes")
            }
        }
    }

    @Test func garbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let count = Int.random(in: 0...64, using: &generator)
            let garbage = KubernetesProtobuf.magic + (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do {
                _ = try KubernetesProtobuf.decode(garbage)
            } catch {
                #expect(error.code == 400 || error.code == 415)
            }
        }
    }

    @Test func refusesLengthBeyondTheBody() {
        var envelope = ProtobufTestEncoder()
        envelope.tag(2, wireType: 2)
        envelope.varint(UInt64.max >> 1)
        expectBadRequest(KubernetesProtobuf.magic + envelope.bytes)
    }

    @Test func refusesOverlongVarint() {
        expectBadRequest(KubernetesProtobuf.magic + [0x08] + [UInt8](repeating: 0xff, count: 11))
    }

    @Test func refusesInvalidWireTypesAndGroups() {
        expectBadRequest(KubernetesProtobuf.magic + [0x0e, 0x00])
        expectBadRequest(KubernetesProtobuf.magic + [0x0b, 0x0c])
        expectBadRequest(KubernetesProtobuf.magic + [0x00, 0x00])
    }

    @Test func refusesWrongWireTypeForDeclaredField() {
        let body = ProtobufTestEncoder.body(apiVersion: "apps/v1", kind: "Deployment") { raw in
            raw.message(2) { $0.string(1, "two") }
        }
        expectBadRequest(body)
    }

    @Test func refusesTimestampOutOfRange() {
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "Namespace") { raw in
            raw.message(1) { meta in meta.message(8) { $0.int(1, Int64.max) } }
        }
        expectBadRequest(body)
    }

    @Test func refusesDeepNesting() {
        var schema = ObjectSchema("Leaf", [FieldSchema("value", 1, .string)])
        for level in 0..<150 {
            schema = ObjectSchema("Level\(level)", [FieldSchema("child", 1, .object(schema))])
        }
        var message: [UInt8] = [0x0a, 0x01, 0x78]
        for _ in 0..<150 {
            var outer = ProtobufTestEncoder()
            outer.bytes(1, message)
            message = outer.bytes
        }
        do {
            _ = try KubernetesProtobuf.decodeMessage(message, schema: schema)
            Issue.record("expected nesting to be refused")
        } catch {
            #expect(error.code == 400)
            #expect(error.message.contains("nested"))
        }
    }

    @Test func refusesUnknownKindWith415() {
        let body = ProtobufTestEncoder.body(apiVersion: "example.com/v1", kind: "Widget") { $0.message(1) }
        do {
            _ = try KubernetesProtobuf.decode(body)
            Issue.record("expected an unknown kind to be refused")
        } catch {
            #expect(error.code == 415)
            #expect(error.message.contains("\"Widget\""))
        }
    }

    @Test func refusesEnvelopeWithoutKindOrWithEncoding() {
        expectBadRequest(KubernetesProtobuf.magic)
        var envelope = ProtobufTestEncoder()
        envelope.message(1) {
            $0.string(1, "v1")
            $0.string(2, "Namespace")
        }
        envelope.string(3, "gzip")
        expectBadRequest(KubernetesProtobuf.magic + envelope.bytes)
    }

    @Test func errorsDoNotQuoteTheBody() {
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "Secret") { raw in
            raw.message(2) { entry in
                entry.string(1, "password")
                entry.tag(2, wireType: 0)
                entry.varint(5)
            }
        }
        do {
            _ = try KubernetesProtobuf.decode(body)
            Issue.record("expected a wire type mismatch")
        } catch {
            #expect(!error.message.contains("password"))
        }
    }
}
