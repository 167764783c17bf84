import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// The ReplicaSet controller on a real server with hollow nodes.
@Suite struct ReplicaSetControllerTests {
    static let replicaSets = "/apis/apps/v1/namespaces/default/replicasets"
    static let pods = "/api/v1/namespaces/default/pods"

    private func ownedPods(_ cluster: TestCluster, app: String) async throws -> [JSONValue] {
        try await cluster.admin.items("\(Self.pods)?labelSelector=app%3D\(app)").filter { $0.deletionTimestamp == nil }
    }

    @Test func replicasAreCreatedHealedAndScaledDown() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.replicaSets, Workloads.replicaSet("web", replicas: 3, app: "web"))
                    #expect(try await eventually {
                        try await cluster.admin.json("\(Self.replicaSets)/web")[path: ["status", "readyReplicas"]]?.intValue == 3
                    })
                    let pods = try await ownedPods(cluster, app: "web")
                    #expect(pods.count == 3)
                    let owner = pods.first?[path: ["metadata", "ownerReferences"]]?.arrayValue?.first
                    #expect(owner?["kind"]?.stringValue == "ReplicaSet" && owner?["controller"]?.boolValue == true)
                    #expect(pods.allSatisfy { $0.name?.hasPrefix("web-") == true && $0[path: ["status", "phase"]]?.stringValue == "Running" })

                    // A pod that goes away is replaced.
                    let victim = try #require(pods.first?.name)
                    _ = try await cluster.admin.request("DELETE", "\(Self.pods)/\(victim)", json: nil)
                    #expect(try await eventually {
                        let now = try await ownedPods(cluster, app: "web")
                        return now.count == 3 && !now.contains { $0.name == victim }
                    })

                    // Scaling down deletes the surplus.
                    _ = try await cluster.admin.request(
                        "PATCH", "\(Self.replicaSets)/web", body: JSONSerializer.bytes(["spec": ["replicas": 1]]),
                        contentType: "application/merge-patch+json"
                    )
                    #expect(try await eventually { try await ownedPods(cluster, app: "web").count == 1 })
                    #expect(try await eventually {
                        try await cluster.admin.json("\(Self.replicaSets)/web")[path: ["status", "replicas"]]?.intValue == 1
                    })
                }
            }
        }
    }

    @Test func matchingOrphansAreAdoptedAndNonMatchingPodsReleased() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.pods, Workloads.pod("stray", labels: ["app": "api"]))
                    try await cluster.admin.create(Self.replicaSets, Workloads.replicaSet("api", replicas: 2, app: "api"))
                    #expect(try await eventually { try await ownedPods(cluster, app: "api").count == 2 })
                    let stray = try await cluster.admin.json("\(Self.pods)/stray")
                    #expect(stray[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["name"]?.stringValue == "api", "the orphan was adopted")

                    // Relabelled out of the selector: released, and replaced.
                    _ = try await cluster.admin.request(
                        "PATCH", "\(Self.pods)/stray", body: JSONSerializer.bytes(["metadata": ["labels": ["app": "debug"]]]),
                        contentType: "application/merge-patch+json"
                    )
                    #expect(try await eventually {
                        let released = try await cluster.admin.json("\(Self.pods)/stray")[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
                        return released.isEmpty
                    })
                    #expect(try await eventually { try await ownedPods(cluster, app: "api").count == 2 })
                }
            }
        }
    }
}
