import Crypto
import PalisadeAPI

/// The chain annotations every line carries, and how a line is laid out so the writer can
/// fill them in without serializing the event again.
///
/// A line's MAC is HMAC-SHA256 (truncated to 128 bits) under the chain key over the line
/// itself, with its own `chain` value zeroed; the line holds its sequence number and the MAC
/// of the line before (`previous`), so each line is authentic on its own and its place in
/// the chain is checked against its neighbour.
public enum AuditLine {
    public static let sequenceKey = "audit.palisade.dev/sequence"
    public static let previousKey = "audit.palisade.dev/previous"
    public static let chainKey = "audit.palisade.dev/chain"
    /// Hex digits of a MAC.
    public static let macLength = 32
    /// The `previous` of the very first line.
    public static let genesis = String(repeating: "0", count: macLength)

    /// An event serialized with room for its chain annotations: `chain` and `previous` hold
    /// zeros at known offsets, and the sequence number goes at `sequenceOffset`.
    public struct Encoded: Sendable {
        public var bytes: [UInt8]
        let chainOffset: Int
        let previousOffset: Int
        let sequenceOffset: Int
    }

    /// Serializes `event` with the chain annotations in place: members in sorted key order,
    /// as everything Palisade writes, emitted straight from the event's fields (no
    /// intermediate dictionary: this runs for every request). Bodies appear only at the
    /// levels that carry them.
    public static func encode(_ event: AuditEvent) -> Encoded {
        var out = JSONObjectWriter()
        var offsets: [String: Int] = [:]
        out.key("annotations")
        out.bytes.append(UInt8(ascii: "{"))
        var annotations = event.annotations
        for key in [sequenceKey, previousKey, chainKey] { annotations[key] = "" }
        for (position, name) in annotations.keys.sorted().enumerated() {
            if position > 0 { out.bytes.append(UInt8(ascii: ",")) }
            JSONSerializer.write(.string(name), into: &out.bytes)
            out.bytes.append(UInt8(ascii: ":"))
            guard [sequenceKey, previousKey, chainKey].contains(name) else {
                JSONSerializer.write(.string(annotations[name]!), into: &out.bytes)
                continue
            }
            out.bytes.append(UInt8(ascii: "\""))
            offsets[name] = out.bytes.count
            if name != sequenceKey { out.bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: macLength)) }
            out.bytes.append(UInt8(ascii: "\""))
        }
        out.bytes.append(UInt8(ascii: "}"))
        out.member("apiVersion", "audit.k8s.io/v1")
        out.member("auditID", .string(event.auditID))
        if let impersonated = event.impersonatedUser { out.member("impersonatedUser", impersonated.json) }
        out.member("kind", "Event")
        out.member("level", .string(event.level.rawValue))
        if let reference = event.objectRef { out.member("objectRef", reference.json) }
        if event.level >= .request, let body = event.requestObject { out.member("requestObject", body) }
        out.member("requestReceivedTimestamp", .string(Timestamp.formatMicro(event.requestReceivedTimestamp)))
        out.member("requestURI", .string(event.requestURI))
        if event.level >= .requestResponse, let body = event.responseObject { out.member("responseObject", body) }
        if let status = event.responseStatus { out.member("responseStatus", status) }
        out.member("sourceIPs", .array(event.sourceIPs.map(JSONValue.string)))
        out.member("stage", .string(event.stage.rawValue))
        out.member("stageTimestamp", .string(Timestamp.formatMicro(event.stageTimestamp)))
        out.member("user", event.user.json)
        if let agent = event.userAgent { out.member("userAgent", .string(agent)) }
        out.member("verb", .string(event.verb))
        out.bytes.append(UInt8(ascii: "}"))
        return Encoded(bytes: out.bytes, chainOffset: offsets[chainKey]!, previousOffset: offsets[previousKey]!, sequenceOffset: offsets[sequenceKey]!)
    }

    /// The members of one JSON object, written in the order given (the caller keeps it sorted).
    private struct JSONObjectWriter {
        var bytes: [UInt8] = [UInt8(ascii: "{")]

        init() {
            bytes.reserveCapacity(1024)
        }

        mutating func key(_ name: String) {
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            JSONSerializer.write(.string(name), into: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }

        mutating func member(_ name: String, _ value: JSONValue) {
            key(name)
            JSONSerializer.write(value, into: &bytes)
        }
    }

    /// Completes a line: fills in sequence and previous, computes the MAC, and appends the
    /// line and its newline to `out`. Returns the line's MAC (the next line's `previous`).
    static func seal(_ encoded: Encoded, sequence: UInt64, previous: String, key: SymmetricKey, into out: inout [UInt8]) -> String {
        // In sorted order chain < previous < sequence, so only the sequence digits shift bytes.
        precondition(encoded.chainOffset < encoded.previousOffset && encoded.previousOffset < encoded.sequenceOffset)
        let start = out.count
        out.append(contentsOf: encoded.bytes[..<encoded.sequenceOffset])
        out.append(contentsOf: String(sequence).utf8)
        out.append(contentsOf: encoded.bytes[encoded.sequenceOffset...])
        out.replaceSubrange((start + encoded.previousOffset)..<(start + encoded.previousOffset + macLength), with: previous.utf8)
        let mac = self.mac(out[start...], key: key)
        out.replaceSubrange((start + encoded.chainOffset)..<(start + encoded.chainOffset + macLength), with: mac.utf8)
        out.append(UInt8(ascii: "\n"))
        return mac
    }

    static func mac(_ line: some Collection<UInt8>, key: SymmetricKey) -> String {
        var hmac = HMAC<SHA256>(key: key)
        line.withContiguousStorageIfAvailable { hmac.update(data: UnsafeRawBufferPointer($0)) } ?? hmac.update(data: Array(line))
        return hex(Array(hmac.finalize()).prefix(macLength / 2))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks one line as read back: its MAC over the line with the chain value zeroed.
    /// Returns the chain fields when the line is authentic, nil when it is not.
    public static func authenticate(_ line: ArraySlice<UInt8>, event: JSONValue, key: SymmetricKey) -> Link? {
        guard let annotations = event["annotations"]?.objectValue,
              let chain = annotations[chainKey]?.stringValue, chain.utf8.count == macLength,
              let previous = annotations[previousKey]?.stringValue,
              let sequence = annotations[sequenceKey]?.stringValue.flatMap(UInt64.init)
        else { return nil }
        let needle = Array("\"\(chainKey)\":\"\(chain)\"".utf8)
        guard let range = firstRange(of: needle, in: line) else { return nil }
        var zeroed = Array(line)
        let valueStart = range.lowerBound - line.startIndex + needle.count - macLength - 1
        zeroed.replaceSubrange(valueStart..<(valueStart + macLength), with: repeatElement(UInt8(ascii: "0"), count: macLength))
        guard mac(zeroed, key: key) == chain else { return nil }
        return Link(sequence: sequence, previous: previous, chain: chain)
    }

    /// The chain fields of an authentic line.
    public struct Link: Sendable, Equatable {
        public let sequence: UInt64
        public let previous: String
        public let chain: String
    }

    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard needle.count <= haystack.count, let first = needle.first else { return nil }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }
}
