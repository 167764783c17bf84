import Testing
@testable import PalisadeAPI

struct SchemaValidatorTests {
    static let deployment = KindSchemas.schema(group: "apps", version: "v1", kind: "Deployment")!
    static let pod = KindSchemas.schema(group: "", version: "v1", kind: "Pod")!

    static let unknownFieldCases: [(kind: String, body: String, unknown: [String])] = [
        ("Deployment", #"{"spec":{"template":{"spec":{"containers":[{"name":"web","imagee":"nginx"}]}}}}"#,
         ["spec.template.spec.containers[0].imagee"]),
        ("Deployment", #"{"metadata":{"labels":{"any key":"v","app.kubernetes.io/name":"x"}}}"#, []),
        ("Deployment", #"{"apiVersion":"apps/v1","kind":"Deployment","status":{"replicas":1,"conditions":[{"type":"Available"}]}}"#, []),
        ("Deployment", #"{"spec":{"replica":1,"strategy":{"rollingUpdate":{"maxSurge":1,"maxSurges":2}}},"extra":true}"#,
         ["extra", "spec.replica", "spec.strategy.rollingUpdate.maxSurges"]),
        ("Pod", #"{"spec":{"volumes":[{"name":"c","configMap":{"name":"cm","items":[{"key":"k","path":"p"}]}},{"name":"e","emptyDir":{}}]}}"#, []),
        ("Pod", #"{"spec":{"volumes":[{"name":"c","configMap":{"nam":"cm"},"volumeSource":{}}]}}"#,
         ["spec.volumes[0].configMap.nam", "spec.volumes[0].volumeSource"]),
        ("Pod", #"{"spec":{"containers":[{"name":"w","livenessProbe":{"httpGet":{"port":"http"},"handler":{}}}]}}"#,
         ["spec.containers[0].livenessProbe.handler"]),
        ("Pod", #"{"spec":{"ephemeralContainers":[{"name":"dbg","image":"busybox","targetContainerName":"w"}]}}"#, []),
        ("Pod", #"{"spec":{"containers":[{"name":"w","env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"s","key":"k","bogus":1}}}]}]}}"#,
         ["spec.containers[0].env[0].valueFrom.secretKeyRef.bogus"]),
        ("Pod", #"{"metadata":{"managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{"f:anything":{}}}}]}}"#, []),
        ("Pod", #"{"spec":null,"status":{"containerStatuses":[{"name":"w","state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}}]}}"#, []),
        ("Pod", #"{"":1}"#, [""]),
    ]

    @Test(arguments: unknownFieldCases)
    func reportsUnknownFields(_ example: (kind: String, body: String, unknown: [String])) {
        let schema = example.kind == "Pod" ? Self.pod : Self.deployment
        let paths = SchemaValidator.unknownFields(in: SchemaFixture.json(example.body), schema: schema)
        #expect(paths.map(\.description) == example.unknown)
    }

    static let typeErrorCases: [(kind: String, body: String, invalid: [String])] = [
        ("Deployment", #"{"spec":{"replicas":"3"}}"#, ["spec.replicas"]),
        ("Deployment", #"{"spec":{"replicas":3.0,"paused":true}}"#, []),
        ("Deployment", #"{"spec":{"replicas":2.5,"paused":"yes"}}"#, ["spec.paused", "spec.replicas"]),
        ("Deployment", #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}}}}"#, []),
        ("Deployment", #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":true}}}}"#, ["spec.strategy.rollingUpdate.maxSurge"]),
        ("Deployment", #"{"metadata":"web"}"#, ["metadata"]),
        ("Deployment", #"{"metadata":{"labels":{"app":1},"creationTimestamp":null,"finalizers":"x"}}"#,
         ["metadata.finalizers", "metadata.labels[app]"]),
        ("Pod", #"{"spec":{"containers":[{"name":"w","ports":[{"containerPort":"80"}]}]}}"#,
         ["spec.containers[0].ports[0].containerPort"]),
        ("Pod", #"{"spec":{"containers":[{"name":"w","resources":{"limits":{"cpu":"500m","memory":1,"gpu":0.5},"requests":{"cpu":[]}}}]}}"#,
         ["spec.containers[0].resources.requests[cpu]"]),
        ("Pod", #"{"spec":{"containers":{"name":"w"}}}"#, ["spec.containers"]),
        ("Pod", #"{"metadata":{"creationTimestamp":5},"status":{"startTime":"2026-11-28T00:58:23Z"}}"#,
         ["metadata.creationTimestamp"]),
        ("Pod", #"{"spec":{"volumes":[{"name":"c","configMap":{"name":7,"defaultMode":420}}]}}"#,
         ["spec.volumes[0].configMap.name"]),
        ("Pod", #"{"spec":null,"metadata":{"name":null,"labels":{"a":null}}}"#, []),
    ]

    @Test(arguments: typeErrorCases)
    func reportsTypeErrors(_ example: (kind: String, body: String, invalid: [String])) {
        let schema = example.kind == "Pod" ? Self.pod : Self.deployment
        let causes = SchemaValidator.typeErrors(in: SchemaFixture.json(example.body), schema: schema)
        #expect(causes.map(\.field) == example.invalid)
        #expect(causes.allSatisfy { $0.reason == "FieldValueTypeInvalid" })
    }

    @Test(arguments: [
        ("Secret", "", #"{"data":{"pw":"czNjcjN0","key":"YWRt\naW4="}}"#, [String]()),
        ("Secret", "", #"{"data":{"pw":"not base64!"},"stringData":{"pw":"plain text is fine"}}"#, ["data[pw]"]),
        ("Lease", "coordination.k8s.io", #"{"spec":{"renewTime":"2026-11-28T00:58:23.123456Z","acquireTime":12}}"#,
         ["spec.acquireTime"]),
        ("CertificateSigningRequest", "certificates.k8s.io", #"{"spec":{"extra":{"scopes":["a",1]},"request":"UEVN"}}"#,
         ["spec.extra[scopes][1]"]),
        ("Role", "rbac.authorization.k8s.io", #"{"rules":[{"verbs":"get","apiGroups":[""]}]}"#, ["rules[0].verbs"]),
    ])
    func checksSpecialTypes(_ kind: String, _ group: String, _ body: String, _ invalid: [String]) throws {
        let schema = try #require(KindSchemas.schema(group: group, version: "v1", kind: kind))
        #expect(SchemaValidator.typeErrors(in: SchemaFixture.json(body), schema: schema).map(\.field) == invalid)
        #expect(SchemaValidator.unknownFields(in: SchemaFixture.json(body), schema: schema).isEmpty)
    }

    @Test func typeErrorMessageNamesExpectedAndActualType() {
        let causes = SchemaValidator.typeErrors(in: SchemaFixture.json(#"{"spec":{"replicas":"3"}}"#), schema: Self.deployment)
        #expect(causes == [.typeInvalid(FieldPath("spec", "replicas"), expected: "integer", got: "string")])
    }

    @Test func preservingSchemaAcceptsAnyMemberButChecksDeclaredOnes() {
        let schema = ObjectSchema("Open", preservesUnknownFields: true, [FieldSchema("size", 1, .integer)])
        let value = SchemaFixture.json(#"{"size":"big","anything":{"goes":true}}"#)
        #expect(SchemaValidator.unknownFields(in: value, schema: schema).isEmpty)
        #expect(SchemaValidator.typeErrors(in: value, schema: schema).map(\.field) == ["size"])
    }
}
