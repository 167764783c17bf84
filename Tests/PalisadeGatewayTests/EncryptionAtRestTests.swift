import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeStore
import PalisadeTesting
import Testing

/// Encryption at rest through the API: Secrets are sealed below the registry, read back
/// in the clear by clients, administered only by the cluster's administrators, and a
/// value that does not decrypt is answered with an error naming object and key.
@Suite struct EncryptionAtRestTests {
    let secret: JSONValue = [
        "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db"], "stringData": ["password": "s3cr3t-through-the-api"],
    ]
    let secretPath = "/api/v1/namespaces/default/secrets/db"

    @Test func secretsAreSealedInTheStoreAndClearToClients() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create("/api/v1/namespaces/default/secrets", secret)
            let stored = try #require(try await cluster.store.get("/registry/core/secrets/default/db")).value
            #expect(String(decoding: stored.prefix(21), as: UTF8.self) == "k8s:enc:secretbox:v1:")
            let value = Data("s3cr3t-through-the-api".utf8)
            #expect(Data(stored).range(of: value) == nil && Data(stored).range(of: Data(value.base64EncodedString().utf8)) == nil)
            let read = try await cluster.admin.get(secretPath)
            #expect(read["data"]?["password"]?.stringValue == value.base64EncodedString())
        }
    }

    @Test func statusAndRotationAreForAdministratorsOnly() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create("/api/v1/namespaces/default/secrets", secret)
            try await cluster.withClient(user: "eve", groups: ["devs"]) { eve in
                try await eve.request("GET", "/palisade/v1/encryption/status", json: nil).expectFailure(403, "Forbidden")
                try await eve.request("POST", "/palisade/v1/encryption/rotate", json: nil).expectFailure(403, "Forbidden")
            }
            let before = try await cluster.admin.get("/palisade/v1/encryption/status")
            let oldWriter = try #require(before["rules"]?.arrayValue?.first?["writer"]?.stringValue)
            let report = try await cluster.admin.send("POST", "/palisade/v1/encryption/rotate", expect: 200)
            #expect(report["retiredKeys"]?.arrayValue?.compactMap(\.stringValue) == [oldWriter])
            let rule = try #require(report["status"]?["rules"]?.arrayValue?.first)
            #expect(rule["writer"]?.stringValue != oldWriter)
            #expect(rule["objects"] == .array([["count": 1, "key": rule["writer"]!]]))
            #expect(try await cluster.admin.get(secretPath)["data"]?["password"] != nil)
            try await cluster.admin.request("GET", "/palisade/v1/encryption/rotate", json: nil).expectFailure(405, "MethodNotAllowed")
        }
    }

    @Test func aTamperedSecretIsAnErrorNamingObjectAndKey() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create("/api/v1/namespaces/default/secrets", secret)
            let key = "/registry/core/secrets/default/db"
            var stored = try #require(try await cluster.store.get(key)).value
            stored[stored.count - 1] ^= 1
            _ = try await cluster.store.update(key, value: stored, expectedRevision: nil)
            let status = try await cluster.admin.request("GET", secretPath, json: nil).expectFailure(500, "InternalError")
            let message = try #require(status["message"]?.stringValue)
            #expect(message.contains(key) && message.contains("cannot decrypt with key \"key-"))
            #expect(!message.contains("s3cr3t"))
            try await cluster.admin.request("GET", "/api/v1/namespaces/default/secrets", json: nil).expectFailure(500, "InternalError")
        }
    }
}
