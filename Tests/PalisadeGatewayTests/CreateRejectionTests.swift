import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// A create the server must refuse, and how.
struct RejectedCreate: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let path: String
    let body: [UInt8]
    var contentType: String? = MediaType.json
    let code: Int
    let reason: String
    /// A `details.causes[].field` expected among the causes (or one below it, as `metadata.labels[app]`).
    var causeField: String?
    var messageContains: String?

    init(
        _ label: String, _ path: String, _ body: JSONValue, contentType: String? = MediaType.json, code: Int, reason: String,
        causeField: String? = nil, messageContains: String? = nil
    ) {
        self.init(label, path, bytes: JSONSerializer.bytes(body), contentType: contentType, code: code, reason: reason,
                  causeField: causeField, messageContains: messageContains)
    }

    init(
        _ label: String, _ path: String, bytes: [UInt8], contentType: String? = MediaType.json, code: Int, reason: String,
        causeField: String? = nil, messageContains: String? = nil
    ) {
        testDescription = label
        self.path = path
        body = bytes
        self.contentType = contentType
        self.code = code
        self.reason = reason
        self.causeField = causeField
        self.messageContains = messageContains
    }

    static var withUnknownField: JSONValue {
        var deployment = Manifests.deployment("web")
        deployment[path: ["spec", "foo"]] = "bar"
        return deployment
    }

    static var withStringReplicas: JSONValue {
        var deployment = Manifests.deployment("web")
        deployment[path: ["spec", "replicas"]] = "x"
        return deployment
    }

    static var withMismatchedSelector: JSONValue {
        var deployment = Manifests.deployment("web")
        deployment[path: ["spec", "template", "metadata", "labels", "app"]] = "other"
        return deployment
    }

    static let all: [RejectedCreate] = [
        RejectedCreate(
            "pod without containers", Paths.pods(), ["metadata": ["name": "p"], "spec": .emptyObject],
            code: 422, reason: "Invalid", causeField: "spec.containers", messageContains: "Pod \"p\" is invalid: spec.containers: Required value"
        ),
        RejectedCreate(
            "name that is not a DNS subdomain", Paths.configMaps(), Manifests.configMap("Bad_Name"),
            code: 422, reason: "Invalid", causeField: "metadata.name", messageContains: "ConfigMap \"Bad_Name\" is invalid"
        ),
        RejectedCreate(
            "no name and no generateName", Paths.configMaps(), ["metadata": .emptyObject, "data": ["a": "1"]],
            code: 422, reason: "Invalid", causeField: "metadata.name"
        ),
        RejectedCreate(
            "label value too long", Paths.configMaps(), Manifests.configMap("cfg", labels: ["app": String(repeating: "a", count: 64)]),
            code: 422, reason: "Invalid", causeField: "metadata.labels"
        ),
        RejectedCreate(
            "deployment selector not matching its template", Paths.deployments(), withMismatchedSelector,
            code: 422, reason: "Invalid", causeField: "spec.template.metadata.labels"
        ),
        RejectedCreate(
            "body namespace differs from the URL's", Paths.configMaps(), Manifests.configMap("cfg", namespace: "other"),
            code: 400, reason: "BadRequest",
            messageContains: "the namespace of the provided object does not match the namespace sent on the request"
        ),
        RejectedCreate(
            "namespace that does not exist", Paths.configMaps(in: "nope"), Manifests.configMap("cfg"),
            code: 404, reason: "NotFound", messageContains: "namespaces \"nope\" not found"
        ),
        RejectedCreate(
            "unknown field with fieldValidation=Strict", Paths.deployments() + "?fieldValidation=Strict", withUnknownField,
            code: 400, reason: "BadRequest", messageContains: "unknown field \"spec.foo\""
        ),
        RejectedCreate(
            "unsupported fieldValidation value", Paths.deployments() + "?fieldValidation=Loose", Manifests.deployment("web"),
            code: 400, reason: "BadRequest", messageContains: "fieldValidation"
        ),
        RejectedCreate(
            "unsupported dryRun value", Paths.configMaps() + "?dryRun=Some", Manifests.configMap("cfg"),
            code: 400, reason: "BadRequest", messageContains: "dryRun"
        ),
        RejectedCreate(
            "string where an integer belongs", Paths.deployments(), withStringReplicas,
            code: 400, reason: "BadRequest", messageContains: "spec.replicas"
        ),
        RejectedCreate(
            "kind of another resource", Paths.configMaps(), ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"]],
            code: 400, reason: "BadRequest"
        ),
        RejectedCreate(
            "apiVersion of another group", Paths.configMaps(), ["apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": ["name": "c"]],
            code: 400, reason: "BadRequest"
        ),
        RejectedCreate("malformed JSON", Paths.configMaps(), bytes: Array(#"{"metadata": {"name": "cfg""#.utf8), code: 400, reason: "BadRequest"),
        RejectedCreate("a JSON array", Paths.configMaps(), bytes: Array("[1, 2]".utf8), code: 400, reason: "BadRequest"),
        RejectedCreate("malformed YAML", Paths.configMaps(), bytes: Array("metadata: [unclosed".utf8), contentType: MediaType.yaml, code: 400, reason: "BadRequest"),
        RejectedCreate(
            "malformed protobuf", Paths.namespaces, bytes: [0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0x01],
            contentType: MediaType.protobuf, code: 400, reason: "BadRequest"
        ),
        RejectedCreate(
            "body in an unsupported media type", Paths.configMaps(), bytes: Array("name=cfg".utf8),
            contentType: "application/x-www-form-urlencoded", code: 415, reason: "UnsupportedMediaType"
        ),
        RejectedCreate(
            "body over 3 MiB", Paths.configMaps(), Manifests.configMap("big", data: ["blob": String(repeating: "x", count: 3 * 1024 * 1024)]),
            code: 413, reason: "RequestEntityTooLarge"
        ),
    ]
}

@Suite struct CreateRejectionTests {
    /// Every refusal is a Status with the right code, reason and causes, and leaves the store as it was.
    @Test(arguments: RejectedCreate.all)
    func isRefusedWithAStatusAndStoresNothing(_ rejected: RejectedCreate) async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                let response = try await cluster.admin.request("POST", rejected.path, body: rejected.body, contentType: rejected.contentType)
                let status = try response.expectFailure(rejected.code, rejected.reason)
                if let field = rejected.causeField {
                    #expect(status.causeFields.contains { $0 == field || $0.hasPrefix(field + "[") }, "causes: \(status.causeFields)")
                }
                if let text = rejected.messageContains {
                    #expect(status.message.contains(text), "message: \(status.message)")
                }
            }
        }
    }

    @Test func invalidStatusNamesTheKindAndObject() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("POST", Paths.pods(), json: ["metadata": ["name": "p"], "spec": .emptyObject])
            let status = try response.expectFailure(422, "Invalid")
            #expect(status[path: ["details", "kind"]]?.stringValue == "Pod")
            #expect(status[path: ["details", "name"]]?.stringValue == "p")
            let cause = try #require(status[path: ["details", "causes"]]?.arrayValue?.first)
            #expect(cause["reason"]?.stringValue == "FieldValueRequired")
        }
    }

    @Test func everyInvalidFieldIsReportedAtOnce() async throws {
        try await TestCluster.with { cluster in
            let pod: JSONValue = [
                "metadata": ["name": "Bad_Name"],
                "spec": ["containers": .array([]), "restartPolicy": "Sometimes"],
            ]
            let status = try await cluster.admin.request("POST", Paths.pods(), json: pod).expectFailure(422, "Invalid")
            #expect(Set(status.causeFields).isSuperset(of: ["metadata.name", "spec.containers", "spec.restartPolicy"]), "\(status.causeFields)")
        }
    }
}
