import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// `scale` on workloads, `binding` and `log` on pods.
@Suite struct SubresourceTests {
    static let scalePath = Paths.deployment("web") + "/scale"

    @Test func getScaleShowsReplicasAndSelector() async throws {
        try await TestCluster.with { cluster in
            let deployment = try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web", replicas: 2))
            let scale = try await cluster.admin.get(Self.scalePath)
            #expect(scale.kind == "Scale")
            #expect(scale.apiVersion == "autoscaling/v1")
            #expect(scale.name == "web" && scale.namespace == "default")
            #expect(scale.uid == deployment.uid)
            #expect(scale.resourceVersion == deployment.resourceVersion)
            #expect(scale[path: ["spec", "replicas"]]?.intValue == 2)
            #expect(scale[path: ["status", "replicas"]]?.intValue == 0)
            #expect(scale[path: ["status", "selector"]]?.stringValue == "app=web")
        }
    }

    @Test func putScaleChangesTheReplicasOnly() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web", replicas: 2))
            var scale = try await cluster.admin.get(Self.scalePath)
            scale[path: ["spec", "replicas"]] = 5
            let answer = try await cluster.admin.send("PUT", Self.scalePath, scale, expect: 200)
            #expect(answer.kind == "Scale")
            #expect(answer[path: ["spec", "replicas"]]?.intValue == 5)
            #expect(answer.resourceVersion != scale.resourceVersion)

            let deployment = try await cluster.admin.get(Paths.deployment("web"))
            #expect(deployment[path: ["spec", "replicas"]]?.intValue == 5)
            #expect(deployment.generation == 2)
            #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
        }
    }

    @Test func mergePatchingScaleChangesReplicas() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            // What `kubectl scale deployment web --replicas=3` sends.
            let answer = try await cluster.admin.patch(Self.scalePath, ["spec": ["replicas": 3]], contentType: MediaType.mergePatch)
            #expect(answer[path: ["spec", "replicas"]]?.intValue == 3)
            #expect(try await cluster.admin.get(Paths.deployment("web"))[path: ["spec", "replicas"]]?.intValue == 3)
            try await cluster.admin.patch(Self.scalePath, ["spec": ["replicas": 0]], contentType: MediaType.strategicMergePatch)
            #expect(try await cluster.admin.get(Paths.deployment("web"))[path: ["spec", "replicas"]]?.intValue == 0)
        }
    }

    @Test func aScaleWithAStaleResourceVersionIsAConflict() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web", replicas: 5))
            var scale = try await cluster.admin.get(Self.scalePath)
            try await cluster.admin.patch(Paths.deployment("web"), ["metadata": ["labels": ["touched": "yes"]]], contentType: MediaType.mergePatch)
            scale[path: ["spec", "replicas"]] = 3
            try await cluster.expectNoWrites {
                try await cluster.admin.request("PUT", Self.scalePath, json: scale).expectFailure(409, "Conflict")
            }
            #expect(try await cluster.admin.get(Paths.deployment("web"))[path: ["spec", "replicas"]]?.intValue == 5)
        }
    }

    @Test func aNegativeScaleIsInvalid() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("PATCH", Self.scalePath, json: ["spec": ["replicas": -1]], contentType: MediaType.mergePatch)
                    .expectFailure(422, "Invalid")
                #expect(status.causeFields == ["spec.replicas"])
            }
        }
    }

    @Test func scaleOfAMissingDeploymentIsNotFoundAndOfAPodDoesNotExist() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.request("GET", Self.scalePath, json: nil).expectFailure(404, "NotFound")
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            try await cluster.admin.request("GET", Paths.pod("p") + "/scale", json: nil).expectFailure(404, "NotFound")
        }
    }

    @Test func bindingAssignsAPodToANodeOnce() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            let binding: JSONValue = [
                "apiVersion": "v1", "kind": "Binding", "metadata": ["name": "p"],
                "target": ["apiVersion": "v1", "kind": "Node", "name": "node-1"],
            ]
            try await cluster.admin.send("POST", Paths.pod("p") + "/binding", binding, expect: 201)
            let pod = try await cluster.admin.get(Paths.pod("p"))
            #expect(pod[path: ["spec", "nodeName"]]?.stringValue == "node-1")

            var second = binding
            second[path: ["target", "name"]] = "node-2"
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("POST", Paths.pod("p") + "/binding", json: second).expectFailure(409, "Conflict")
                #expect(status.message.contains("node-1"))
            }
            #expect(try await cluster.admin.get(Paths.pod("p"))[path: ["spec", "nodeName"]]?.stringValue == "node-1")
        }
    }

    @Test func aBindingWithoutATargetIsInvalid() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("POST", Paths.pod("p") + "/binding", json: ["metadata": ["name": "p"]])
                    .expectFailure(422, "Invalid")
                #expect(status.causeFields == ["target.name"])
            }
        }
    }

    @Test func theLogOfAnUnscheduledPodIsBadRequest() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            let status = try await cluster.admin.request("GET", Paths.pod("p") + "/log", json: nil).expectFailure(400, "BadRequest")
            #expect(status.message.contains("\"app\""))
            try await cluster.admin.request("GET", Paths.pod("p") + "/log?container=nope", json: nil).expectFailure(400, "BadRequest")
            try await cluster.admin.request("GET", Paths.pod("missing") + "/log", json: nil).expectFailure(404, "NotFound")
        }
    }

    @Test(arguments: [("PUT", "/log"), ("DELETE", "/binding"), ("POST", "/status")])
    func aVerbASubresourceDoesNotServeIsMethodNotAllowed(method: String, suffix: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            try await cluster.expectNoWrites {
                try await cluster.admin.request(method, Paths.pod("p") + suffix, json: Manifests.pod("p")).expectFailure(405, "MethodNotAllowed")
            }
        }
    }
}
