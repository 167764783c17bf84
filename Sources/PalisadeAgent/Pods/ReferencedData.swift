import Foundation
import PalisadeAPI

/// The key/value contents of ConfigMaps and Secrets, decoded once. Values are bytes: a
/// Secret's `data` and a ConfigMap's `binaryData` are base64 on the wire.
enum ReferencedData {
    /// A ConfigMap's `data` (UTF-8 text), and its `binaryData` when `includingBinary` (volumes
    /// carry both; environment variables only `data`, as in the kubelet).
    static func configMapEntries(_ configMap: JSONValue, includingBinary: Bool) throws(PodConfigError) -> [String: [UInt8]] {
        var entries = (configMap["data"]?.objectValue ?? [:]).compactMapValues { $0.stringValue.map { Array($0.utf8) } }
        if includingBinary {
            for (key, value) in try decoded(configMap["binaryData"], what: "binaryData of configmap", configMap) { entries[key] = value }
        }
        return entries
    }

    /// A Secret's `data`, decoded.
    static func secretEntries(_ secret: JSONValue) throws(PodConfigError) -> [String: [UInt8]] {
        try decoded(secret["data"], what: "data of secret", secret)
    }

    /// Base64 members of an object. An undecodable value is named by key, never shown.
    private static func decoded(_ members: JSONValue?, what: String, _ object: JSONValue) throws(PodConfigError) -> [String: [UInt8]] {
        var entries: [String: [UInt8]] = [:]
        for (key, value) in members?.objectValue ?? [:] {
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else {
                let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
                throw PodConfigError(.invalidSpec, "key \(key) in the \(what) \"\(name)\" is not base64")
            }
            entries[key] = Array(bytes)
        }
        return entries
    }
}
