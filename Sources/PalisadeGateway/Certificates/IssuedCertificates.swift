import Foundation
import PalisadeAPI
import PalisadeAuth
import PalisadeStore

/// The record of every client certificate the server issued: serial, user, groups,
/// validity and the CSR it answered, kept in the store (`/registry/palisade.dev/
/// issuedcertificates/<serial>`) so an administrator can list a user's certificates and
/// revoke them.
public struct IssuedCertificates: Sendable {
    static let prefix = "/registry/palisade.dev/issuedcertificates/"

    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    func record(_ certificate: IssuedClientCertificate, user: String, groups: [String], request: String) async throws(APIError) {
        let record: JSONValue = [
            "serial": .string(certificate.serial), "user": .string(user), "groups": .array(groups.map(JSONValue.string)),
            "notBefore": .string(Timestamp.format(certificate.notBefore)), "notAfter": .string(Timestamp.format(certificate.notAfter)),
            "certificateSigningRequest": .string(request),
        ]
        do {
            _ = try await store.create(Self.prefix + certificate.serial, value: JSONSerializer.bytes(record))
        } catch {
            throw error.apiError
        }
    }

    /// Every issued certificate's record, as stored.
    public func all() async throws(APIError) -> [JSONValue] {
        do {
            return try await store.range(prefix: Self.prefix, startAfter: nil, limit: nil, revision: nil).items.compactMap { try? JSONParser.parse($0.value) }
        } catch {
            throw error.apiError
        }
    }
}
