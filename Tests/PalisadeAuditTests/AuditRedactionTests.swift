import Foundation
import PalisadeAPI
import Testing

@testable import PalisadeAudit

@Suite struct AuditRedactionTests {
    static let secretValue = "aHVudGVyMg=="

    @Test func secretValuesGoAndTheirKeysStay() throws {
        let secret: JSONValue = [
            "kind": "Secret", "metadata": ["name": "db"], "type": "Opaque",
            "data": ["password": .string(Self.secretValue)], "stringData": ["token": "plain"],
        ]
        let redacted = AuditRedaction.redact(secret, resource: "secrets")
        #expect(redacted[path: ["data", "password"]] == AuditRedaction.placeholder)
        #expect(redacted[path: ["stringData", "token"]] == AuditRedaction.placeholder)
        #expect(redacted[path: ["metadata", "name"]] == "db")
        #expect(!JSONSerializer.string(redacted).contains(Self.secretValue))
    }

    @Test func listsAndPatchesOfSecretsLoseTheirValues() {
        let list: JSONValue = ["kind": "SecretList", "items": [["data": ["a": "c2VjcmV0"]], ["data": ["b": "c2VjcmV0Mg=="]]]]
        #expect(!JSONSerializer.string(AuditRedaction.redact(list, resource: "secrets")).contains("c2VjcmV0"))
        let mergePatch: JSONValue = ["data": ["a": "bmV3"]]
        #expect(!JSONSerializer.string(AuditRedaction.redact(mergePatch, resource: "secrets")).contains("bmV3"))
        let jsonPatch: JSONValue = [["op": "replace", "path": "/data/a", "value": "bmV3"]]
        let redacted = AuditRedaction.redact(jsonPatch, resource: "secrets")
        #expect(!JSONSerializer.string(redacted).contains("bmV3"))
        #expect(redacted.arrayValue?.first?["path"] == "/data/a")
    }

    @Test func privateKeysAndKubeconfigCredentialsGoFromAnyKind() {
        let pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n"
        let encoded = Data(pem.utf8).base64EncodedString()
        let configMap: JSONValue = [
            "kind": "ConfigMap",
            "data": ["key.pem": .string(pem), "kubeconfig": .string("users:\n- user:\n    client-key-data: \(encoded)\n"), "note": "hello"],
            "binaryData": ["key": .string(encoded)],
        ]
        let redacted = JSONSerializer.string(AuditRedaction.redact(configMap, resource: "configmaps"))
        #expect(!redacted.contains("MHcCAQEE"))
        #expect(!redacted.contains(encoded))
        #expect(redacted.contains("hello"))
        let review: JSONValue = ["kind": "TokenReview", "spec": ["token": "eyJhbGciOi.secret"]]
        #expect(!JSONSerializer.string(AuditRedaction.redact(review, resource: "tokenreviews")).contains("eyJhbGciOi"))
    }

    @Test func publicMaterialIsKept() {
        let request = Data("-----BEGIN CERTIFICATE REQUEST-----\nMIIBVjCB\n-----END CERTIFICATE REQUEST-----\n".utf8).base64EncodedString()
        let csr: JSONValue = ["kind": "CertificateSigningRequest", "spec": ["request": .string(request), "signerName": "kubernetes.io/kube-apiserver-client"]]
        #expect(AuditRedaction.redact(csr, resource: "certificatesigningrequests") == csr)
    }
}
