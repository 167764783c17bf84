import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// PATCH in the three formats kubectl sends, and the refusals around them.
@Suite struct PatchTests {
    static let labeled = Manifests.configMap("cfg", labels: ["app": "web"])

    @Test func jsonPatchAppliesItsOperationsInOrder() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Self.labeled)
            let patch: JSONValue = [
                ["op": "test", "path": "/data/key", "value": "value"],
                ["op": "replace", "path": "/data/key", "value": "v2"],
                ["op": "add", "path": "/metadata/labels/tier", "value": "front"],
                ["op": "remove", "path": "/metadata/labels/app"],
                ["op": "copy", "from": "/data/key", "path": "/data/copy"],
            ]
            let answer = try await cluster.admin.patch(Paths.configMap("cfg"), patch, contentType: MediaType.jsonPatch)
            let stored = try await cluster.admin.get(Paths.configMap("cfg"))
            #expect(stored == answer)
            #expect(stored["data"] == ["key": "v2", "copy": "v2"])
            #expect(stored.labels == ["tier": "front"])
        }
    }

    @Test func mergePatchMergesObjectsAndNullDeletes() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.admin.create(Paths.configMaps(), Self.labeled)
            let patch: JSONValue = ["metadata": ["labels": ["app": .null, "new": "1"]], "data": ["b": "2"]]
            let answer = try await cluster.admin.patch(Paths.configMap("cfg"), patch, contentType: MediaType.mergePatch)
            #expect(answer.labels == ["new": "1"])
            #expect(answer["data"] == ["key": "value", "b": "2"])
            #expect(answer.uid == created.uid)
            #expect(try await cluster.admin.get(Paths.configMap("cfg")) == answer)
        }
    }

    /// A strategic merge patch merges containers by name (the port survives); a merge patch replaces the list.
    @Test(arguments: [(MediaType.strategicMergePatch, true), (MediaType.mergePatch, false)])
    func containerListsMergeByNameOnlyStrategically(contentType: String, keepsPorts: Bool) async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "web", "image": "nginx:1.28"]]]]]]
            let answer = try await cluster.admin.patch(Paths.deployment("web"), patch, contentType: contentType)
            let containers = try #require(answer[path: ["spec", "template", "spec", "containers"]]?.arrayValue)
            #expect(containers.count == 1)
            #expect(containers.first?["image"]?.stringValue == "nginx:1.28")
            #expect((containers.first?["ports"]?.arrayValue?.first?["containerPort"]?.intValue == 80) == keepsPorts)
            #expect(answer.generation == 2)
        }
    }

    @Test func kubectlsStrategicPatchesWork() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            let path = Paths.deployment("web")
            // kubectl set image
            try await cluster.admin.patch(path, [
                "spec": ["template": ["spec": [
                    "$setElementOrder/containers": [["name": "web"]], "containers": [["image": "nginx:1.29", "name": "web"]],
                ]]],
            ], contentType: MediaType.strategicMergePatch)
            // a sidecar added by name, then kubectl rollout restart
            try await cluster.admin.patch(path, ["spec": ["template": ["spec": ["containers": [["name": "log", "image": "busybox"]]]]]],
                                          contentType: MediaType.strategicMergePatch)
            try await cluster.admin.patch(path, ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"]]]]],
                                          contentType: MediaType.strategicMergePatch)
            var stored = try await cluster.admin.get(path)
            var containers = stored[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            #expect(containers.compactMap { $0["name"]?.stringValue } == ["web", "log"])
            #expect(containers.first?["image"]?.stringValue == "nginx:1.29")
            #expect(containers.first?["ports"]?.arrayValue?.count == 1)
            #expect(stored[path: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]] != nil)
            #expect(stored.generation == 4)

            try await cluster.admin.patch(path, ["spec": ["template": ["spec": ["containers": [["name": "log", "$patch": "delete"]]]]]],
                                          contentType: MediaType.strategicMergePatch)
            stored = try await cluster.admin.get(path)
            containers = stored[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            #expect(containers.compactMap { $0["name"]?.stringValue } == ["web"])
        }
    }

    @Test func aFailedJSONPatchTestChangesNothing() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Self.labeled)
            let patch: JSONValue = [
                ["op": "replace", "path": "/data/key", "value": "changed"],
                ["op": "test", "path": "/data/key", "value": "something else"],
            ]
            try await cluster.expectNoWrites {
                try await cluster.admin.request("PATCH", Paths.configMap("cfg"), json: patch, contentType: MediaType.jsonPatch).expectFailure(422, "Invalid")
            }
            #expect(try await cluster.admin.get(Paths.configMap("cfg"))[path: ["data", "key"]]?.stringValue == "value")
        }
    }

    @Test(arguments: ["text/plain", "application/json", "application/xml"])
    func aBodyThatIsNoPatchFormatIsUnsupportedMediaType(contentType: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Self.labeled)
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("PATCH", Paths.configMap("cfg"), json: ["data": ["key": "x"]], contentType: contentType)
                    .expectFailure(415, "UnsupportedMediaType")
                #expect(status.message.contains("application/strategic-merge-patch+json"))
            }
        }
    }

    @Test func serverSideApplyIsRefusedWithUnsupportedMediaType() async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1"}}"#.utf8)
                let response = try await cluster.admin.request(
                    "PATCH", Paths.configMap("cfg") + "?fieldManager=kubectl&force=false", body: body, contentType: MediaType.applyPatch
                )
                try response.expectFailure(415, "UnsupportedMediaType")
            }
        }
    }

    @Test(arguments: [
        ("malformed JSON", MediaType.mergePatch, Array("{\"data\":".utf8), 400, "BadRequest"),
        ("merge patch that is not an object", MediaType.mergePatch, Array("[1]".utf8), 400, "BadRequest"),
        ("JSON patch that is not a list", MediaType.jsonPatch, Array("{\"op\":\"add\"}".utf8), 400, "BadRequest"),
        ("renaming", MediaType.mergePatch, Array("{\"metadata\":{\"name\":\"other\"}}".utf8), 400, "BadRequest"),
        ("stale pinned resourceVersion", MediaType.mergePatch, Array("{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"key\":\"x\"}}".utf8), 409, "Conflict"),
        ("invalid result", MediaType.mergePatch, Array("{\"metadata\":{\"labels\":{\"bad key\":\"x\"}}}".utf8), 422, "Invalid"),
    ])
    func refusedPatchesChangeNothing(label: String, contentType: String, body: [UInt8], code: Int, reason: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Self.labeled)
            try await cluster.expectNoWrites {
                let response = try await cluster.admin.request("PATCH", Paths.configMap("cfg"), body: body, contentType: contentType)
                try response.expectFailure(code, reason)
            }
            #expect(try await cluster.admin.get(Paths.configMap("cfg"))["data"] == ["key": "value"], "\(label)")
        }
    }

    @Test func patchingAMissingObjectIsNotFound() async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                try await cluster.admin.request("PATCH", Paths.configMap("nope"), json: ["data": ["a": "1"]], contentType: MediaType.mergePatch)
                    .expectFailure(404, "NotFound")
            }
        }
    }

    @Test func aPatchThatChangesNothingWritesNothing() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.admin.create(Paths.configMaps(), Self.labeled)
            try await cluster.expectNoWrites {
                let answer = try await cluster.admin.patch(Paths.configMap("cfg"), ["data": ["key": "value"]], contentType: MediaType.mergePatch)
                #expect(answer.resourceVersion == created.resourceVersion)
            }
        }
    }
}
