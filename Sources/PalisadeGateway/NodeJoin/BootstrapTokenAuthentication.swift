import Foundation
import Hummingbird
import PalisadeAPI
import PalisadeAuth

/// Authentication on the bootstrap listener: `Authorization: Bearer <id>.<secret>`, checked
/// against the Secret `kube-system/bootstrap-token-<id>` on every request (a deleted or
/// expired token stops working at once). A missing, malformed, unknown, expired or wrong
/// token gets the same 401, so a caller learns nothing about which part was wrong; the token
/// itself is never logged, audited or echoed.
struct BootstrapTokenAuthentication: RequestAuthentication {
    static let secrets = ServedResources.lookup(group: "", version: "v1", resource: "secrets")!

    let registry: ObjectRegistry

    func authenticate(_ request: Request, context: GatewayRequestContext) async throws(APIError) -> UserInfo {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { throw .unauthorized }
        let secret: JSONValue
        do {
            secret = try await registry.get(Self.secrets, namespace: BootstrapTokenSecret.namespace, name: BootstrapTokenSecret.name(id: token.id))
        } catch where error.code == 404 {
            throw .unauthorized
        }
        guard let user = BootstrapTokenSecret.user(presenting: token, type: secret["type"]?.stringValue, data: Self.decoded(secret["data"])) else {
            throw .unauthorized
        }
        return user
    }

    /// The token of a `Bearer` header (the scheme is case-insensitive, as in RFC 7235).
    static func bearerToken(_ header: String?) -> BootstrapToken? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return BootstrapToken(String(header.dropFirst(7)))
    }

    /// A Secret's `data`, base64-decoded; undecodable entries are left out.
    static func decoded(_ data: JSONValue?) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in data?.objectValue ?? [:] {
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else { continue }
            result[key] = String(decoding: bytes, as: UTF8.self)
        }
        return result
    }
}
