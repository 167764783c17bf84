import Foundation
import PalisadeAPI
import PalisadeClient
@testable import PalisadeControllers
import PalisadeTesting
import Testing

/// A rollout that stops moving is reported as past its progress deadline.
@Suite struct RolloutProgressTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func deployment(updated: Int64, reason: String?, updatedAgo seconds: TimeInterval) -> JSONValue {
        var deployment: JSONValue = [
            "spec": ["progressDeadlineSeconds": 600],
            "status": ["observedGeneration": 2, "replicas": 3, "updatedReplicas": .int(updated), "readyReplicas": 2, "availableReplicas": 2],
        ]
        if let reason {
            deployment[path: ["status", "conditions"]] = [[
                "type": "Progressing", "status": "True", "reason": .string(reason),
                "lastUpdateTime": .string(Timestamp.format(now.addingTimeInterval(-seconds))),
            ]]
        }
        return deployment
    }

    func status(updated: Int64) -> JSONValue {
        ["observedGeneration": 2, "replicas": 3, "updatedReplicas": .int(updated), "readyReplicas": 2, "availableReplicas": 2]
    }

    @Test func progressRestartsTheClock() {
        let verdict = RolloutProgress.verdict(
            deployment: deployment(updated: 1, reason: "ReplicaSetUpdated", updatedAgo: 500), newStatus: status(updated: 2), newReplicaSet: "web-1", now: now
        )
        #expect(verdict.condition.reason == "ReplicaSetUpdated" && verdict.refresh)
        #expect(verdict.deadline == now.addingTimeInterval(600))
    }

    @Test func aStalledRolloutTimesOutAtItsDeadline() {
        let waiting = RolloutProgress.verdict(
            deployment: deployment(updated: 1, reason: "ReplicaSetUpdated", updatedAgo: 100), newStatus: status(updated: 1), newReplicaSet: "web-1", now: now
        )
        #expect(waiting.condition.status == "True" && !waiting.refresh && waiting.deadline == now.addingTimeInterval(500))
        let stalled = RolloutProgress.verdict(
            deployment: deployment(updated: 1, reason: "ReplicaSetUpdated", updatedAgo: 601), newStatus: status(updated: 1), newReplicaSet: "web-1", now: now
        )
        #expect(stalled.condition == ("False", "ProgressDeadlineExceeded", "ReplicaSet \"web-1\" has timed out progressing."))
        #expect(stalled.deadline == nil)
        // Written with a fresh lastUpdateTime, it stays exceeded until the rollout moves.
        let next = RolloutProgress.verdict(
            deployment: deployment(updated: 1, reason: "ProgressDeadlineExceeded", updatedAgo: 0), newStatus: status(updated: 1), newReplicaSet: "web-1", now: now
        )
        #expect(next.condition.status == "False" && next.deadline == nil)
        let moved = RolloutProgress.verdict(
            deployment: deployment(updated: 1, reason: "ProgressDeadlineExceeded", updatedAgo: 0), newStatus: status(updated: 2), newReplicaSet: "web-1", now: now
        )
        #expect(moved.condition.status == "True" && moved.refresh)
    }

    @Test func aNewRolloutAfterACompletedOneStartsItsOwnClock() {
        let verdict = RolloutProgress.verdict(
            deployment: deployment(updated: 1, reason: "NewReplicaSetAvailable", updatedAgo: 5000), newStatus: status(updated: 1), newReplicaSet: "web-2", now: now
        )
        #expect(verdict.condition.status == "True" && verdict.refresh)
    }

    @Test func kubectlSeesTheDeadlineExceededOnAServer() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withControllers {
                // No node: the pods never become available.
                var deployment = DeploymentControllerTests.deployment("stuck", replicas: 2, image: "web:1", strategy: ["type": "RollingUpdate"])
                deployment[path: ["spec", "progressDeadlineSeconds"]] = 1
                try await cluster.admin.create("/apis/apps/v1/namespaces/default/deployments", deployment)
                #expect(try await eventually {
                    let conditions = try await cluster.admin.json("/apis/apps/v1/namespaces/default/deployments/stuck")[path: ["status", "conditions"]]?.arrayValue ?? []
                    return conditions.contains { $0["type"] == "Progressing" && $0["status"] == "False" && $0["reason"] == "ProgressDeadlineExceeded" }
                })
            }
        }
    }
}
