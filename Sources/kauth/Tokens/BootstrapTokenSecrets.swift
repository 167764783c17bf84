import Foundation
import PalisadeAPI
import PalisadeAuth

/// Bootstrap tokens as Secrets in `kube-system` (Kubernetes' layout, see
/// `BootstrapTokenSecret`): what kauth writes, and what it shows of them, which is never
/// the secret half.
enum BootstrapTokenSecrets {
    static let secrets = APIPath.definition(plural: "secrets", group: "")
    static let collection = APIPath.collection(secrets, namespace: BootstrapTokenSecret.namespace)

    static func path(id: String) -> String {
        APIPath.object(secrets, namespace: BootstrapTokenSecret.namespace, name: BootstrapTokenSecret.name(id: id))
    }

    /// The Secret to create for `token`.
    static func secret(for token: BootstrapToken, expiration: Date, description: String, extraGroups: [String]) -> JSONValue {
        let data = BootstrapTokenSecret.data(for: token, expiration: expiration, description: description, extraGroups: extraGroups)
        return [
            "apiVersion": "v1", "kind": "Secret", "type": .string(BootstrapTokenSecret.type),
            "metadata": ["name": .string(BootstrapTokenSecret.name(id: token.id)), "namespace": .string(BootstrapTokenSecret.namespace)],
            "data": .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) }),
        ]
    }

    /// What `kauth token list` shows of a token Secret: id, expiry, description, usages and
    /// extra groups, read from its data; the secret is left out. Nil for other Secrets.
    static func summary(of secret: JSONValue) -> JSONValue? {
        guard secret["type"]?.stringValue == BootstrapTokenSecret.type else { return nil }
        func field(_ key: String) -> String? {
            secret[path: ["data", key]]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        }
        let id = field(BootstrapTokenSecret.Key.tokenID) ?? String((secret.name ?? "").dropFirst(BootstrapTokenSecret.namePrefix.count))
        let groups = (field(BootstrapTokenSecret.Key.extraGroups) ?? "").split(separator: ",").map { JSONValue.string(String($0)) }
        return [
            "id": .string(id), "expiration": field(BootstrapTokenSecret.Key.expiration).map(JSONValue.string) ?? .null,
            "description": .string(field(BootstrapTokenSecret.Key.description) ?? ""),
            "authentication": .bool(field(BootstrapTokenSecret.Key.usageAuthentication) == "true"), "extraGroups": .array(groups),
        ]
    }
}
