import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// POST: what the server fills in, generated names, conflicts, namespaces and dry runs.
@Suite struct CreateTests {
    @Test func setsServerOwnedFieldsAndIgnoresClientValuesForThem() async throws {
        try await TestCluster.with { cluster in
            var manifest = Manifests.deployment("web")
            manifest[path: ["metadata", "uid"]] = "client-chosen"
            manifest[path: ["metadata", "creationTimestamp"]] = "2001-01-01T00:00:00Z"
            manifest[path: ["metadata", "generation"]] = 7
            manifest[path: ["metadata", "resourceVersion"]] = "12345"
            let before = Date().addingTimeInterval(-2)
            let created = try await cluster.admin.create(Paths.deployments(), manifest)

            let uid = try #require(created.uid)
            #expect(UUID(uuidString: uid) != nil, "uid \(uid)")
            let timestamp = try #require(created.creationTimestamp.flatMap(Timestamp.parse))
            #expect(timestamp >= before && timestamp <= Date().addingTimeInterval(2))
            #expect(created.generation == 1)
            #expect(created.namespace == "default")
            #expect(created.kind == "Deployment" && created.apiVersion == "apps/v1")
            #expect(created.resourceVersion == String(try await cluster.revision()))

            let stored = try await cluster.admin.get(Paths.deployment("web"))
            #expect(stored.uid == uid)
            #expect(stored.resourceVersion == created.resourceVersion)
            #expect(stored.creationTimestamp == created.creationTimestamp)
            #expect(stored[path: ["spec", "replicas"]]?.intValue == 1)
        }
    }

    @Test func generateNameGivesEachObjectItsOwnName() async throws {
        try await TestCluster.with { cluster in
            let manifest: JSONValue = ["metadata": ["generateName": "cfg-"], "data": ["a": "1"]]
            let first = try await cluster.admin.create(Paths.configMaps(), manifest)
            let second = try await cluster.admin.create(Paths.configMaps(), manifest)
            let names = [first.name ?? "", second.name ?? ""]
            for name in names {
                #expect(name.hasPrefix("cfg-") && name.count == "cfg-".count + 5, "name \(name)")
                #expect(try await cluster.admin.get(Paths.configMap(name)).generateName == "cfg-")
            }
            #expect(names[0] != names[1])
        }
    }

    @Test func aSecondCreateOfTheSameNameIsAlreadyExists() async throws {
        try await TestCluster.with { cluster in
            let original = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg", data: ["v": "1"]))
            try await cluster.expectNoWrites {
                let response = try await cluster.admin.request("POST", Paths.configMaps(), json: Manifests.configMap("cfg", data: ["v": "2"]))
                let status = try response.expectFailure(409, "AlreadyExists")
                #expect(status.message == "configmaps \"cfg\" already exists")
                #expect(status[path: ["details", "name"]]?.stringValue == "cfg")
                #expect(status[path: ["details", "kind"]]?.stringValue == "configmaps")
            }
            let stored = try await cluster.admin.get(Paths.configMap("cfg"))
            #expect(stored.uid == original.uid)
            #expect(stored[path: ["data", "v"]]?.stringValue == "1")
        }
    }

    @Test func aGroupedKindIsNamedWithItsGroupInAlreadyExists() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web"))
            let response = try await cluster.admin.request("POST", Paths.deployments(), json: Manifests.deployment("web"))
            let status = try response.expectFailure(409, "AlreadyExists")
            #expect(status.message == "deployments.apps \"web\" already exists")
            #expect(status[path: ["details", "group"]]?.stringValue == "apps")
        }
    }

    @Test func theSameNameInAnotherNamespaceIsAnotherObject() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
            let a = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg"))
            let b = try await cluster.admin.create(Paths.configMaps(in: "team-a"), Manifests.configMap("cfg", namespace: "team-a"))
            #expect(a.uid != b.uid)
            #expect(b.namespace == "team-a")
        }
    }

    @Test func nothingIsCreatedInANamespaceBeingDeleted() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("doomed"))
            // A finalizer keeps the namespace Terminating while the test runs.
            try await cluster.admin.create(
                Paths.configMaps(in: "doomed"), Manifests.configMap("held", finalizers: [Manifests.holdFinalizer])
            )
            let deletion = try await cluster.admin.request("DELETE", Paths.namespace("doomed"), json: nil)
            try #require([200, 202].contains(deletion.status), "\(deletion.text)")
            try await cluster.expectNoWrites {
                let response = try await cluster.admin.request("POST", Paths.configMaps(in: "doomed"), json: Manifests.configMap("late"))
                let status = try response.expectFailure(403, "Forbidden")
                #expect(status.message == "unable to create new content in namespace doomed because it is being terminated")
            }
            #expect(try await cluster.admin.isGone(Paths.configMap("late", in: "doomed")))
        }
    }

    @Test func aDryRunAnswersLikeACreateButStoresNothing() async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                let answer = try await cluster.admin.send("POST", Paths.deployments() + "?dryRun=All", Manifests.deployment("web"), expect: 201)
                #expect(answer.name == "web")
                #expect(answer.uid != nil && answer.creationTimestamp != nil)
                #expect(answer[path: ["spec", "strategy", "type"]]?.stringValue == "RollingUpdate")
            }
            #expect(try await cluster.admin.isGone(Paths.deployment("web")))
            #expect(try await cluster.admin.get(Paths.deployments()).itemNames.isEmpty)
        }
    }

    @Test func namespacesAreClusterScopedAndStartActive() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
            #expect(created.namespace == nil)
            #expect(created[path: ["status", "phase"]]?.stringValue == "Active")
            let names = try await cluster.admin.get(Paths.namespaces).itemNames
            #expect(Set(["default", "kube-system", "kube-public", "kube-node-lease", "team-a"]).isSubset(of: names))
        }
    }
}
