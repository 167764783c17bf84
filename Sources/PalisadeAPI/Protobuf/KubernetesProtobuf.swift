/// Decodes request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`)
/// into the same ``JSONValue`` a JSON body would give.
///
/// A body is the four bytes `k8s\0` followed by a `runtime.Unknown` envelope:
/// `typeMeta{apiVersion = 1, kind = 2} = 1`, `raw = 2` (the object's message),
/// `contentEncoding = 3`, `contentType = 4`. The kind named in the envelope picks the schema in
/// ``KindSchemas``; the result carries `apiVersion` and `kind` from the envelope and always has a
/// `metadata` object (`{}` when the message has none), as a JSON body from kubectl would.
///
/// Errors never quote the body: malformed input gives a 400 describing what is wrong and where,
/// a kind without a schema gives a 415 asking for JSON.
public enum KubernetesProtobuf {
    /// The prefix of every Kubernetes protobuf body: `k8s` and a zero byte.
    public static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The media type of Kubernetes protobuf bodies.
    public static let mediaType = "application/vnd.kubernetes.protobuf"

    /// Decodes a whole request body (prefix, envelope and object) into a JSON object.
    public static func decode(_ body: [UInt8]) throws(APIError) -> JSONValue {
        guard body.count >= magic.count, body.starts(with: magic) else {
            throw malformed("the body does not start with the k8s\\0 prefix")
        }
        let envelope = try Envelope(body[magic.count...])
        guard envelope.contentEncoding.isEmpty else {
            throw malformed("content encoding \(printable(envelope.contentEncoding)) is not supported")
        }
        guard envelope.contentType.isEmpty || envelope.contentType == mediaType else {
            throw malformed("the envelope declares content type \(printable(envelope.contentType)), expected \(mediaType)")
        }
        guard !envelope.kind.isEmpty, !envelope.apiVersion.isEmpty else {
            throw malformed("the envelope does not name the object's apiVersion and kind")
        }
        let (group, version) = splitAPIVersion(envelope.apiVersion)
        guard let schema = KindSchemas.schema(group: group, version: version, kind: envelope.kind) else {
            throw APIError(
                code: 415, reason: "UnsupportedMediaType",
                message: "the kind \(printable(envelope.kind)) in \(printable(envelope.apiVersion)) cannot be decoded "
                    + "from protobuf; send it as application/json"
            )
        }
        var members = try ProtobufMessageDecoder().decodeObject(envelope.raw, schema: schema, depth: 0)
        members["apiVersion"] = .string(envelope.apiVersion)
        members["kind"] = .string(envelope.kind)
        if schema["metadata"] != nil, members["metadata"] == nil { members["metadata"] = .emptyObject }
        return .object(members)
    }

    /// Decodes one protobuf message (no prefix, no envelope) as `schema`.
    public static func decodeMessage(_ message: [UInt8], schema: ObjectSchema) throws(APIError) -> JSONValue {
        .object(try ProtobufMessageDecoder().decodeObject(message[...], schema: schema, depth: 0))
    }

    /// The 400 for a body that is not valid protobuf; `detail` must not quote the body.
    static func malformed(_ detail: String) -> APIError {
        .badRequest("the protobuf request body is malformed: \(detail)")
    }

    /// `group/version`, or just `version` for the core group.
    static func splitAPIVersion(_ apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.lastIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }

    /// A client-supplied name fit for an error message: quoted when short and printable.
    static func printable(_ text: String) -> String {
        let isPlain = text.count <= 100 && text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f }
        return isPlain ? "\"\(text)\"" : "(unprintable)"
    }

    /// The `runtime.Unknown` envelope around the object.
    struct Envelope {
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        var contentEncoding = ""
        var contentType = ""

        init(_ bytes: ArraySlice<UInt8>) throws(APIError) {
            var reader = ProtobufReader(bytes)
            while let (number, wire) = try reader.readField() {
                guard case .lengthDelimited(let value) = wire else { continue }
                switch number {
                case 1: try readTypeMeta(value)
                case 2: raw = value
                case 3: contentEncoding = String(decoding: value, as: UTF8.self)
                case 4: contentType = String(decoding: value, as: UTF8.self)
                default: continue
                }
            }
        }

        private mutating func readTypeMeta(_ bytes: ArraySlice<UInt8>) throws(APIError) {
            var reader = ProtobufReader(bytes)
            while let (number, wire) = try reader.readField() {
                guard case .lengthDelimited(let value) = wire else { continue }
                switch number {
                case 1: apiVersion = String(decoding: value, as: UTF8.self)
                case 2: kind = String(decoding: value, as: UTF8.self)
                default: continue
                }
            }
        }
    }
}
