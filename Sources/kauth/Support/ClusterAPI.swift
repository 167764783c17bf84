import Foundation
import PalisadeAPI
import PalisadeAuth
import PalisadeClient

/// The API calls kauth makes, over one mTLS client: JSON in and out, refusals as the
/// server's one-line message. Every call is authorized and audited like any client's.
struct ClusterAPI {
    let client: PalisadeClient

    /// The object at `path`, or nil when there is none.
    func get(_ path: String) async throws -> JSONValue? {
        let response = try await client.request("GET", path, json: nil)
        if response.status == 404 { return nil }
        return try response.requireJSON()
    }

    /// The items of the list at `path`.
    func list(_ path: String) async throws -> [JSONValue] {
        try await client.request("GET", path, json: nil).requireJSON()["items"]?.arrayValue ?? []
    }

    /// POSTs `body` to `path` and returns the answer.
    @discardableResult
    func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        try await client.request("POST", path, json: body).requireJSON()
    }

    /// PUTs `body` to `path` and returns the stored object.
    @discardableResult
    func put(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        try await client.request("PUT", path, json: body).requireJSON()
    }

    /// Deletes the object at `path`; `false` when there was none.
    @discardableResult
    func delete(_ path: String) async throws -> Bool {
        let response = try await client.request("DELETE", path, json: nil)
        if response.status == 404 { return false }
        _ = try response.requireJSON()
        return true
    }

    /// Every Role, ClusterRole, RoleBinding and ClusterRoleBinding, as the server's
    /// authorizer sees them (aggregation included).
    func rbacPolicy() async throws -> RBACPolicy {
        var objects: [JSONValue] = []
        for kind in RBACPolicy.Kind.allCases {
            let definition = try APIPath.definition(kind: kind.rawValue, group: "rbac.authorization.k8s.io")
            for var item in try await list(APIPath.collection(definition)) {
                item["kind"] = .string(kind.rawValue)
                objects.append(item)
            }
        }
        return RBACPolicy(objects: objects)
    }

    /// Every certificate the server issued, with its revocation state.
    func certificates() async throws -> [CertificateRecord] {
        try await list("/palisade/v1/certificates").map(CertificateRecord.init(json:))
    }

    /// Revokes one serial or every certificate of `user`; returns the serials revoked.
    @discardableResult
    func revoke(serial: String? = nil, user: String? = nil) async throws -> [String] {
        var body: [String: JSONValue] = [:]
        if let serial { body["serial"] = .string(serial) }
        if let user { body["user"] = .string(user) }
        let answer = try await post("/palisade/v1/certificates/revoke", .object(body))
        return answer["revoked"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The namespace, or a one-line error naming it.
    func requireNamespace(_ name: String) async throws {
        guard try await get(APIPath.object(APIPath.namespaces, name: name)) != nil else {
            throw KauthError("namespace \"\(name)\" not found")
        }
    }

    /// The user's certificate records, or a one-line error when the server never issued one.
    func requireUser(_ name: String) async throws -> [CertificateRecord] {
        let records = try await certificates().filter { $0.user == name }
        guard !records.isEmpty else { throw KauthError("user \"\(name)\" not found: no certificate was issued to that name (see kauth user list)") }
        return records
    }
}

/// One issued client certificate, as `/palisade/v1/certificates` lists it.
struct CertificateRecord {
    var serial: String
    var user: String
    var groups: [String]
    var notBefore: Date?
    var notAfter: Date?
    var revoked: Bool

    init(json: JSONValue) {
        serial = json["serial"]?.stringValue ?? ""
        user = json["user"]?.stringValue ?? ""
        groups = json["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        notBefore = json["notBefore"]?.stringValue.flatMap(Timestamp.parse)
        notAfter = json["notAfter"]?.stringValue.flatMap(Timestamp.parse)
        revoked = json["revoked"]?.boolValue ?? false
    }

    /// Not revoked and not expired.
    func isValid(at now: Date = Date()) -> Bool {
        !revoked && (notAfter.map { $0 > now } ?? false)
    }

    var json: JSONValue {
        [
            "serial": .string(serial), "user": .string(user), "groups": .array(groups.map(JSONValue.string)),
            "notBefore": notBefore.map { .string(Timestamp.format($0)) } ?? .null,
            "notAfter": notAfter.map { .string(Timestamp.format($0)) } ?? .null, "revoked": .bool(revoked),
        ]
    }
}

extension ClientOptions {
    /// Runs `body` with the API of the kubeconfig's cluster.
    func withAPI<T>(_ body: (ClusterAPI) async throws -> T) async throws -> T {
        try await withClient { try await body(ClusterAPI(client: $0)) }
    }
}
