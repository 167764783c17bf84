import Foundation
import PalisadeAPI
import PalisadeClient

/// What the controllers ask of the API: JSON objects in and out over their own mTLS
/// identity, refusals as ``APIFailure`` carrying the server's status and reason.
public struct APIClient: Sendable {
    public let http: PalisadeClient

    public init(_ http: PalisadeClient) {
        self.http = http
    }

    /// The object at `path`, or nil when there is none.
    public func get(_ path: String) async throws -> JSONValue? {
        let response = try await http.request("GET", path, json: nil)
        if response.status == 404 { return nil }
        return try Self.object(response)
    }

    /// The list at `path`: its items and resourceVersion.
    public func list(_ path: String) async throws -> (items: [JSONValue], resourceVersion: String) {
        let list = try Self.object(try await http.request("GET", path, json: nil))
        return (list["items"]?.arrayValue ?? [], list[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")
    }

    @discardableResult
    public func create(_ collection: String, _ object: JSONValue) async throws -> JSONValue {
        try Self.object(try await http.request("POST", collection, json: object))
    }

    /// A PUT; 409 when `object`'s resourceVersion is no longer current.
    @discardableResult
    public func update(_ path: String, _ object: JSONValue) async throws -> JSONValue {
        try Self.object(try await http.request("PUT", path, json: object))
    }

    /// A JSON merge patch.
    @discardableResult
    public func patch(_ path: String, _ patch: JSONValue) async throws -> JSONValue {
        try Self.object(try await http.request("PATCH", path, json: patch, contentType: "application/merge-patch+json"))
    }

    /// Deletes the object at `path`; `false` when it was already gone.
    @discardableResult
    public func delete(_ path: String, options: JSONValue? = nil) async throws -> Bool {
        let response = try await http.request("DELETE", path, json: options)
        if response.status == 404 { return false }
        _ = try Self.object(response)
        return true
    }

    private static func object(_ response: PalisadeClient.Response) throws -> JSONValue {
        guard (200..<300).contains(response.status), let json = response.json else {
            throw APIFailure(status: response.status, body: response.json)
        }
        return json
    }
}

/// A refused request: the HTTP status and the `metav1.Status` reason and message.
public struct APIFailure: Error, CustomStringConvertible {
    public let status: Int
    public let reason: String
    public let message: String

    init(status: Int, body: JSONValue?) {
        self.status = status
        reason = body?["reason"]?.stringValue ?? ""
        message = body?["message"]?.stringValue ?? "HTTP \(status)"
    }

    public var isConflict: Bool { status == 409 }
    public var isNotFound: Bool { status == 404 }
    public var description: String { "HTTP \(status) \(reason): \(message)" }
}
