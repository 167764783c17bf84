/// Kubernetes' envelope for values encrypted at rest: `k8s:enc:<provider>:v1:<key name>:`
/// followed by the provider's bytes. Anything else is a plaintext value.
enum Envelope {
    static let marker = Array("k8s:enc:".utf8)

    static func prefix(provider: String, key: String) -> [UInt8] {
        Array("k8s:enc:\(provider):v1:\(key):".utf8)
    }

    static func isSealed(_ stored: [UInt8]) -> Bool {
        stored.count >= marker.count && stored[..<marker.count].elementsEqual(marker)
    }

    /// The provider, key name and payload of a sealed value; nil for a plaintext value or a
    /// malformed prefix.
    static func parse(_ stored: [UInt8]) -> (provider: String, key: String, payload: ArraySlice<UInt8>)? {
        guard isSealed(stored) else { return nil }
        var fields: [String] = []
        var start = marker.count
        var index = start
        let colon = UInt8(ascii: ":")
        // Three colon-terminated fields follow the marker: provider, version, key name.
        while fields.count < 3, index < stored.count, index - start <= 256 {
            if stored[index] == colon {
                fields.append(String(decoding: stored[start..<index], as: UTF8.self))
                start = index + 1
            }
            index += 1
        }
        guard fields.count == 3, fields[1] == "v1", !fields[0].isEmpty, !fields[2].isEmpty else { return nil }
        return (fields[0], fields[2], stored[start...])
    }
}
