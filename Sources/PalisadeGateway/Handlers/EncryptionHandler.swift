import Hummingbird
import PalisadeAPI
import PalisadeSecrets

/// Encryption at rest, administered through the server that holds the keys (so a rotation
/// runs while it serves, and key material never crosses the wire):
///
/// - `GET /palisade/v1/encryption/status`: objects per key, per configuration rule;
/// - `POST /palisade/v1/encryption/rotate`: new writer key, rewrite, retire the old keys.
///
/// They are non-resource URLs: only a subject granted them (system:masters, cluster-admin)
/// reaches this handler.
struct EncryptionHandler: Sendable {
    static let statusPath = "/palisade/v1/encryption/status"
    static let rotatePath = "/palisade/v1/encryption/rotate"

    let administrator: EncryptionAdministrator?

    func respond(method: HTTPRequest.Method, path: String) async throws -> Response? {
        guard path == Self.statusPath || path == Self.rotatePath else { return nil }
        guard let administrator else { throw APIError.pathNotFound }
        switch (method, path) {
        case (.get, Self.statusPath):
            return APIResponse.json(try await administrator.status().json)
        case (.post, Self.rotatePath):
            do {
                return APIResponse.json(try await administrator.rotate().json)
            } catch let error as EncryptionConfigError {
                throw APIError.badRequest("key rotation failed: \(error)")
            }
        default:
            throw APIError.methodNotAllowed("\(method.rawValue) is not allowed on \(path)")
        }
    }
}
