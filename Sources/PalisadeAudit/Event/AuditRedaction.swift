import Foundation
import PalisadeAPI

/// Takes secret values out of request and response bodies before an event is written,
/// whatever level the policy asked for: Secret `data`/`stringData` values (keys are kept,
/// so an auditor still sees which keys changed), private keys in PEM form anywhere,
/// kubeconfig-style credential fields, and the token of a TokenReview.
public enum AuditRedaction {
    public static let placeholder: JSONValue = "<redacted>"

    /// Field names whose values are credentials wherever they appear.
    static let credentialFields: Set<String> = [
        "client-key-data", "client-key", "token", "tokenFile", "password", "privateKey", "private-key",
    ]

    /// - Parameter resource: the request's resource; bodies of `secrets` requests lose
    ///   their values even when they carry no `kind` (patches).
    public static func redact(_ body: JSONValue, resource: String) -> JSONValue {
        let isSecret = resource == "secrets"
        return scrub(isSecret ? secretValuesRemoved(body) : body)
    }

    /// Secret values at the top, in list `items`, and in JSON-patch `value`s.
    private static func secretValuesRemoved(_ body: JSONValue) -> JSONValue {
        switch body {
        case .array(let operations):
            return .array(operations.map { operation in
                guard case .object(var fields) = operation, fields["value"] != nil else { return operation }
                fields["value"] = placeholder
                return .object(fields)
            })
        case .object(var fields):
            for key in ["data", "stringData"] {
                if case .object(let values)? = fields[key] { fields[key] = .object(values.mapValues { _ in placeholder }) }
            }
            if case .array(let items)? = fields["items"] { fields["items"] = .array(items.map(secretValuesRemoved)) }
            return .object(fields)
        default:
            return body
        }
    }

    /// Walks the whole body for credentials that may sit in any kind.
    private static func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return holdsPrivateKey(text) ? placeholder : value
        case .array(let elements):
            return .array(elements.map(scrub))
        case .object(let fields):
            var scrubbed: [String: JSONValue] = [:]
            for (key, field) in fields {
                scrubbed[key] = credentialFields.contains(key) && field.stringValue != nil ? placeholder : scrub(field)
            }
            return .object(scrubbed)
        default:
            return value
        }
    }

    /// A PEM private key, in clear or base64-encoded (as kubeconfig `*-data` fields hold it),
    /// or a kubeconfig's credential line inside a larger text.
    static func holdsPrivateKey(_ text: String) -> Bool {
        if text.contains("PRIVATE KEY-----") || text.contains("client-key-data:") || text.contains("\"client-key-data\"") { return true }
        // "-----BEGIN" in base64 at any of the three alignments: decode and look inside.
        guard ["LS0tLS1CRUdJTi", "0tLS0tQkVHSU4", "tLS0tLUJFR0lO"].contains(where: { text.contains($0) }),
              let decoded = Data(base64Encoded: text.filter { !$0.isWhitespace })
        else { return false }
        return String(decoding: decoded, as: UTF8.self).contains("PRIVATE KEY-----")
    }
}
