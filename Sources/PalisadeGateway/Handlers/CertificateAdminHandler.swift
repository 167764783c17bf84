import Hummingbird
import PalisadeAPI
import PalisadeAuth

/// Client certificates, administered through the server (`kauth user` to come):
///
/// - `GET /palisade/v1/certificates`: every certificate the server issued, with `revoked`;
/// - `POST /palisade/v1/certificates/revoke` with `{"serial": "…"}` or `{"user": "…"}` (every
///   certificate issued to that user): refused from the next handshake on, also after a
///   restart, and open connections made with them are closed at once.
///
/// Non-resource URLs: only subjects granted them (system:masters, cluster-admin) get here.
struct CertificateAdminHandler: Sendable {
    static let listPath = "/palisade/v1/certificates"
    static let revokePath = "/palisade/v1/certificates/revoke"

    let issued: IssuedCertificates
    let revocations: Revocations

    func respond(_ request: Request, path: String, user: UserInfo?, body: () async throws(APIError) -> [UInt8]) async throws -> Response? {
        switch (request.method, path) {
        case (.get, Self.listPath):
            let items = try await issued.all().map { record in
                var item = record
                item["revoked"] = .bool(revocations.isRevoked(record["serial"]?.stringValue ?? ""))
                return item
            }
            return APIResponse.json(["kind": "IssuedCertificateList", "apiVersion": "palisade.dev/v1", "items": .array(items)])
        case (.post, Self.revokePath):
            guard let json = try? JSONParser.parse(try await body()) else { throw APIError.badRequest("the body must be a JSON object") }
            let serials = try await targets(json)
            for serial in serials { try await revocations.revoke(serial, by: user?.name ?? "") }
            return APIResponse.json(["kind": "Revocation", "apiVersion": "palisade.dev/v1", "revoked": .array(serials.map(JSONValue.string))])
        case (_, Self.listPath), (_, Self.revokePath):
            throw APIError.methodNotAllowed("\(request.method.rawValue) is not allowed on \(path)")
        default:
            return nil
        }
    }

    /// The serials a revocation request names; a user with no certificates is an error.
    private func targets(_ body: JSONValue) async throws(APIError) -> [String] {
        if let serial = body["serial"]?.stringValue?.lowercased(), !serial.isEmpty {
            guard serial.allSatisfy({ $0.isHexDigit }), serial.count.isMultiple(of: 2) else {
                throw .badRequest("serial: must be the certificate's serial number in hex")
            }
            // Named as the records name it: no leading zero bytes.
            var bytes = Array(serial.utf8)
            while bytes.count > 2 && bytes.prefix(2).elementsEqual("00".utf8) { bytes.removeFirst(2) }
            return [String(decoding: bytes, as: UTF8.self)]
        }
        guard let user = body["user"]?.stringValue, !user.isEmpty else { throw .badRequest("give a serial or a user to revoke") }
        let serials = try await issued.all().filter { $0["user"]?.stringValue == user }.compactMap { $0["serial"]?.stringValue }
        guard !serials.isEmpty else { throw .notFound(resource: "certificates", name: user) }
        return serials
    }
}
