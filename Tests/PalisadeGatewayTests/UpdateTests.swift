import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// PUT: optimistic concurrency, names, generations, no-op writes, and the status subresource.
@Suite struct UpdateTests {
    @Test func aStaleResourceVersionIsAConflictAndChangesNothing() async throws {
        try await TestCluster.with { cluster in
            let original = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg", data: ["v": "1"]))
            var first = original
            first[path: ["data", "v"]] = "2"
            let updated = try await cluster.admin.send("PUT", Paths.configMap("cfg"), first, expect: 200)
            #expect(Int64(updated.resourceVersion ?? "") ?? 0 > Int64(original.resourceVersion ?? "") ?? 0)

            var stale = original
            stale[path: ["data", "v"]] = "3"
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("PUT", Paths.configMap("cfg"), json: stale).expectFailure(409, "Conflict")
                #expect(status.message == "Operation cannot be fulfilled on configmaps \"cfg\": the object has been modified; please apply your changes to the latest version and try again")
                #expect(status[path: ["details", "name"]]?.stringValue == "cfg")
                #expect(status[path: ["details", "kind"]]?.stringValue == "configmaps")
            }
            #expect(try await cluster.admin.get(Paths.configMap("cfg"))[path: ["data", "v"]]?.stringValue == "2")
        }
    }

    @Test func withoutAResourceVersionTheUpdateAppliesToTheNewest() async throws {
        try await TestCluster.with { cluster in
            let original = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg", data: ["v": "1"]))
            try await cluster.admin.patch(Paths.configMap("cfg"), ["data": ["v": "2"]], contentType: MediaType.mergePatch)
            let replacement = Manifests.configMap("cfg", data: ["v": "3"])
            let updated = try await cluster.admin.send("PUT", Paths.configMap("cfg"), replacement, expect: 200)
            #expect(updated[path: ["data", "v"]]?.stringValue == "3")
            #expect(updated.uid == original.uid)
            #expect(updated.creationTimestamp == original.creationTimestamp)
            #expect(updated.resourceVersion == String(try await cluster.revision()))
        }
    }

    @Test(arguments: [
        (Paths.configMap("cfg"), Manifests.configMap("other"), "name"),
        (Paths.configMap("cfg"), Manifests.configMap("cfg", namespace: "kube-system"), "namespace"),
    ])
    func aBodyNamingAnotherObjectIsBadRequest(path: String, body: JSONValue, word: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg"))
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("PUT", path, json: body).expectFailure(400, "BadRequest")
                #expect(status.message.contains(word), "\(status.message)")
            }
            #expect(try await cluster.admin.isGone(Paths.configMap("other")))
        }
    }

    @Test func updatingAMissingObjectIsNotFound() async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                try await cluster.admin.request("PUT", Paths.configMap("cfg"), json: Manifests.configMap("cfg")).expectFailure(404, "NotFound")
            }
        }
    }

    @Test func generationCountsSpecChangesOnly() async throws {
        try await TestCluster.with { cluster in
            var deployment = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            deployment[path: ["spec", "replicas"]] = 3
            deployment = try await cluster.admin.send("PUT", Paths.deployment("web"), deployment, expect: 200)
            #expect(deployment.generation == 2)

            let before = deployment.resourceVersion
            deployment[path: ["metadata", "labels"]] = ["team": "a"]
            deployment[path: ["metadata", "annotations"]] = ["note": "metadata only"]
            deployment = try await cluster.admin.send("PUT", Paths.deployment("web"), deployment, expect: 200)
            #expect(deployment.generation == 2)
            #expect(deployment.resourceVersion != before)
            #expect(deployment.labels == ["team": "a"])

            deployment[path: ["metadata", "generation"]] = 40
            deployment = try await cluster.admin.send("PUT", Paths.deployment("web"), deployment, expect: 200)
            #expect(deployment.generation == 2, "clients cannot set the generation")
            #expect(try await cluster.admin.get(Paths.deployment("web")).generation == 2)
        }
    }

    @Test func aNoOpUpdateWritesNothing() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            let current = try await cluster.admin.get(Paths.deployment("web"))
            try await cluster.expectNoWrites {
                let same = try await cluster.admin.send("PUT", Paths.deployment("web"), current, expect: 200)
                #expect(same.resourceVersion == created.resourceVersion)
                #expect(same.generation == 1)
                // The manifest as first sent differs only by defaults, which the server fills again.
                let manifest = try await cluster.admin.send("PUT", Paths.deployment("web"), Manifests.deployment("web"), expect: 200)
                #expect(manifest.resourceVersion == created.resourceVersion)
            }
        }
    }

    @Test func theStatusSubresourceChangesOnlyStatus() async throws {
        try await TestCluster.with { cluster in
            var deployment = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            deployment[path: ["status"]] = ["replicas": 1, "readyReplicas": 1, "observedGeneration": 1]
            deployment[path: ["spec", "replicas"]] = 9
            deployment[path: ["metadata", "labels"]] = ["sneaky": "yes"]
            let answer = try await cluster.admin.send("PUT", Paths.deployment("web") + "/status", deployment, expect: 200)
            #expect(answer[path: ["status", "readyReplicas"]]?.intValue == 1)
            #expect(answer[path: ["spec", "replicas"]]?.intValue == 1)

            let stored = try await cluster.admin.get(Paths.deployment("web"))
            #expect(stored[path: ["status", "readyReplicas"]]?.intValue == 1)
            #expect(stored[path: ["status", "observedGeneration"]]?.intValue == 1)
            #expect(stored[path: ["spec", "replicas"]]?.intValue == 1)
            #expect(stored.labels.isEmpty)
            #expect(stored.generation == 1)
            #expect(try await cluster.admin.get(Paths.deployment("web") + "/status")[path: ["status", "readyReplicas"]]?.intValue == 1)
        }
    }

    @Test func theMainResourceCannotChangeStatus() async throws {
        try await TestCluster.with { cluster in
            var deployment = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            deployment[path: ["status"]] = ["replicas": 5, "readyReplicas": 5]
            deployment[path: ["spec", "replicas"]] = 2
            let answer = try await cluster.admin.send("PUT", Paths.deployment("web"), deployment, expect: 200)
            #expect(answer[path: ["spec", "replicas"]]?.intValue == 2)
            #expect(answer[path: ["status", "readyReplicas"]] == nil)
            let stored = try await cluster.admin.get(Paths.deployment("web"))
            #expect(stored[path: ["status", "readyReplicas"]] == nil)
            #expect(stored[path: ["spec", "replicas"]]?.intValue == 2)

            try await cluster.admin.patch(Paths.deployment("web"), ["status": ["readyReplicas": 7]], contentType: MediaType.mergePatch)
            #expect(try await cluster.admin.get(Paths.deployment("web"))[path: ["status", "readyReplicas"]] == nil)
            try await cluster.admin.patch(Paths.deployment("web") + "/status", ["status": ["readyReplicas": 7]], contentType: MediaType.mergePatch)
            #expect(try await cluster.admin.get(Paths.deployment("web"))[path: ["status", "readyReplicas"]]?.intValue == 7)
        }
    }

    @Test func aStatusUpdateWithAStaleResourceVersionIsAConflict() async throws {
        try await TestCluster.with { cluster in
            var deployment = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            try await cluster.admin.patch(Paths.deployment("web"), ["spec": ["replicas": 2]], contentType: MediaType.mergePatch)
            deployment[path: ["status"]] = ["replicas": 1]
            try await cluster.expectNoWrites {
                try await cluster.admin.request("PUT", Paths.deployment("web") + "/status", json: deployment).expectFailure(409, "Conflict")
            }
        }
    }

    @Test func immutableFieldsCannotChange() async throws {
        try await TestCluster.with { cluster in
            var deployment = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            deployment[path: ["spec", "selector"]] = ["matchLabels": ["app": "web", "tier": "x"]]
            deployment[path: ["spec", "template", "metadata", "labels"]] = ["app": "web", "tier": "x"]
            var pod = try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            pod[path: ["spec", "restartPolicy"]] = "Never"
            try await cluster.expectNoWrites {
                let selector = try await cluster.admin.request("PUT", Paths.deployment("web"), json: deployment).expectFailure(422, "Invalid")
                #expect(selector.causeFields == ["spec.selector"], "\(selector)")
                let podSpec = try await cluster.admin.request("PUT", Paths.pod("p"), json: pod).expectFailure(422, "Invalid")
                #expect(podSpec.causeFields == ["spec"], "\(podSpec)")
            }
            // The image is the one thing of a pod's containers that may change.
            let image = try await cluster.admin.patch(
                Paths.pod("p"), ["spec": ["containers": [["name": "app", "image": "nginx:1.28"]]]], contentType: MediaType.strategicMergePatch
            )
            #expect(image[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue == "nginx:1.28")
        }
    }
}
