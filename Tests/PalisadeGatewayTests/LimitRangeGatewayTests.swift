import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// LimitRanger through the API: new Pods get their namespace's defaults, are refused with
/// Kubernetes' wording when they break a limit, and contradictory LimitRanges are refused.
@Suite struct LimitRangeGatewayTests {
    static let limitRanges = "/api/v1/namespaces/default/limitranges"

    static func limitRange(_ items: JSONValue) -> JSONValue {
        ["apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": "limits"], "spec": ["limits": items]]
    }

    @Test func newPodsGetDefaultsAndAreHeldToTheBounds() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.limitRanges, Self.limitRange([
                ["type": "Container", "default": ["memory": "256Mi"], "defaultRequest": ["memory": "128Mi"], "max": ["memory": "1Gi"]],
            ]))
            let created = try await cluster.admin.create(Paths.pods(), Manifests.pod("web"))
            let resources = created[path: ["spec", "containers"]]?.arrayValue?.first?["resources"]
            #expect(resources == ["limits": ["memory": "256Mi"], "requests": ["memory": "128Mi"]])
            #expect(try await cluster.admin.get(Paths.pod("web"))[path: ["spec", "containers"]]?.arrayValue?.first?["resources"] == resources)

            var big = Manifests.pod("big")
            big[path: ["spec", "containers"]] = [["name": "app", "image": "nginx:1.27", "resources": ["limits": ["memory": "2Gi"]]]]
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("POST", Paths.pods(), json: big).expectFailure(403, "Forbidden")
                #expect(status["message"]?.stringValue == #"pods "big" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi"#)
            }
        }
    }

    @Test func claimsAreHeldToTheirStorageBounds() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.limitRanges, Self.limitRange([["type": "PersistentVolumeClaim", "max": ["storage": "10Gi"]]]))
            func claim(_ name: String, _ storage: String) -> JSONValue {
                [
                    "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": .string(name)],
                    "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": .string(storage)]]],
                ]
            }
            let claims = "/api/v1/namespaces/default/persistentvolumeclaims"
            try await cluster.admin.create(claims, claim("small", "1Gi"))
            try await cluster.expectNoWrites {
                let status = try await cluster.admin.request("POST", claims, json: claim("huge", "1Ti")).expectFailure(403, "Forbidden")
                #expect(status["message"]?.stringValue == #"persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 1Ti"#)
            }
        }
    }

    @Test func aChangedLimitRangeGovernsTheNextPod() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.limitRanges, Self.limitRange([["type": "Container", "max": ["memory": "1Gi"]]]))
            var pod = Manifests.pod("a")
            pod[path: ["spec", "containers"]] = [["name": "app", "image": "nginx:1.27", "resources": ["limits": ["memory": "512Mi"]]]]
            try await cluster.admin.create(Paths.pods(), pod)
            try await cluster.admin.patch(
                "\(Self.limitRanges)/limits", ["spec": ["limits": [["type": "Container", "max": ["memory": "256Mi"]]]]],
                contentType: MediaType.mergePatch
            )
            pod[path: ["metadata", "name"]] = "b"
            try await cluster.admin.request("POST", Paths.pods(), json: pod).expectFailure(403, "Forbidden")
        }
    }

    @Test func contradictoryLimitRangesAreRefused() async throws {
        try await TestCluster.with { cluster in
            let status = try await cluster.admin.request(
                "POST", Self.limitRanges, json: Self.limitRange([["type": "Container", "min": ["cpu": "2"], "max": ["cpu": "1"]]])
            ).expectFailure(422, "Invalid")
            #expect(status[path: ["details", "causes"]]?.arrayValue?.first?["field"]?.stringValue == "spec.limits[0].min[cpu]")
        }
    }
}
