import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// Deleting a ReplicaSet with each propagation policy, on a real server with the controllers.
@Suite struct GarbageCollectorTests {
    static let replicaSets = "/apis/apps/v1/namespaces/default/replicasets"
    static let pods = "/api/v1/namespaces/default/pods"

    private func pods(_ cluster: TestCluster, app: String) async throws -> [JSONValue] {
        try await cluster.admin.items("\(Self.pods)?labelSelector=app%3D\(app)")
    }

    private func delete(_ cluster: TestCluster, _ name: String, propagation: String) async throws {
        _ = try await cluster.admin.request("DELETE", "\(Self.replicaSets)/\(name)", json: ["propagationPolicy": .string(propagation)]).requireJSON()
    }

    @Test func foregroundDeletionWaitsForThePods() async throws {
        try await TestCluster.with { cluster in
            // The nodes report the pods, but do not finish deletions until they run again.
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.replicaSets, Workloads.replicaSet("fg", replicas: 2, app: "fg"))
                    #expect(try await eventually { try await pods(cluster, app: "fg").count == 2 })
                }
            }
            try await cluster.withControllers {
                try await delete(cluster, "fg", propagation: "Foreground")
                #expect(try await eventually { try await pods(cluster, app: "fg").allSatisfy { $0.deletionTimestamp != nil } })
                // The pods are still there (their node has not confirmed), so is the ReplicaSet.
                try await Task.sleep(for: .milliseconds(500))
                let waiting = try await cluster.admin.request("GET", "\(Self.replicaSets)/fg", json: nil).requireJSON()
                #expect(waiting.finalizers.contains("foregroundDeletion") && waiting.deletionTimestamp != nil)
                // The node comes back and completes the pods' deletion: then the ReplicaSet goes.
                let reporter = HollowNodes(client: cluster.admin, count: 1)
                let task = Task { await reporter.run() }
                defer { task.cancel() }
                #expect(try await eventually { try await pods(cluster, app: "fg").isEmpty })
                #expect(try await eventually { try await cluster.admin.request("GET", "\(Self.replicaSets)/fg", json: nil).status == 404 })
            }
        }
    }

    @Test func backgroundDeletesThePodsAfterwardsAndOrphanKeepsThem() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.replicaSets, Workloads.replicaSet("bg", replicas: 2, app: "bg"))
                    try await cluster.admin.create(Self.replicaSets, Workloads.replicaSet("keep", replicas: 2, app: "keep"))
                    #expect(try await eventually {
                        let background = try await pods(cluster, app: "bg").count
                        let orphaned = try await pods(cluster, app: "keep").count
                        return background == 2 && orphaned == 2
                    })
                    try await delete(cluster, "bg", propagation: "Background")
                    #expect(try await eventually { try await pods(cluster, app: "bg").isEmpty }, "the collector deletes the orphaned pods")

                    try await delete(cluster, "keep", propagation: "Orphan")
                    #expect(try await eventually { try await cluster.admin.request("GET", "\(Self.replicaSets)/keep", json: nil).status == 404 })
                    let kept = try await pods(cluster, app: "keep")
                    #expect(kept.count == 2)
                    #expect(kept.allSatisfy { ($0[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).isEmpty }, "the pods no longer name the ReplicaSet")
                }
            }
        }
    }
}
