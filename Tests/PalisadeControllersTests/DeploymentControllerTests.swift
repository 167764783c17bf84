import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeControllers
import PalisadeTesting
import Synchronization
import Testing

/// The Deployment controller on a real server with hollow nodes (pods Ready once bound).
@Suite struct DeploymentControllerTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let replicaSets = "/apis/apps/v1/namespaces/default/replicasets"
    static let pods = "/api/v1/namespaces/default/pods"

    static func deployment(_ name: String, replicas: Int64, image: String, strategy: JSONValue) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]], "strategy": strategy,
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "app", "image": .string(image), "resources": ["requests": ["cpu": "100m"]]]]],
                ],
            ],
        ]
    }

    static func setImage(_ cluster: TestCluster, _ name: String, _ image: String) async throws {
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "app", "image": .string(image)]]]]]]
        _ = try await cluster.admin.request("PATCH", "\(deployments)/\(name)", body: JSONSerializer.bytes(patch), contentType: "application/strategic-merge-patch+json").requireJSON()
    }

    /// The deployment's live pods by image, and how many of them are Ready.
    static func pods(_ cluster: TestCluster, app: String) async throws -> (images: [String: Int], ready: Int) {
        let pods = try await cluster.admin.items("\(Self.pods)?labelSelector=app%3D\(app)").filter { $0.deletionTimestamp == nil }
        var images: [String: Int] = [:]
        for pod in pods { images[pod[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue ?? "", default: 0] += 1 }
        return (images, pods.filter(PodState.isReady).count)
    }

    static func isComplete(_ cluster: TestCluster, _ name: String, image: String, replicas: Int) async throws -> Bool {
        let status = try await cluster.admin.json("\(deployments)/\(name)")["status"]
        let state = try await pods(cluster, app: name)
        return status?["updatedReplicas"]?.intValue == Int64(replicas) && status?["availableReplicas"]?.intValue == Int64(replicas)
            && status?["replicas"]?.intValue == Int64(replicas) && state.images == [image: replicas]
    }

    @Test func aRollingUpdateKeepsEnoughPodsReadyAndUndoReturnsToV1() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(3) { _ in
                try await cluster.withControllers {
                    let strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1, "maxUnavailable": 1]]
                    try await cluster.admin.create(Self.deployments, Self.deployment("web", replicas: 4, image: "web:v1", strategy: strategy))
                    #expect(try await eventually { try await Self.isComplete(cluster, "web", image: "web:v1", replicas: 4) })

                    // Watch readiness all through the rollout.
                    let lowest = Mutex(Int.max)
                    let sampler = Task {
                        while !Task.isCancelled {
                            let ready = try await Self.pods(cluster, app: "web").ready
                            lowest.withLock { $0 = min($0, ready) }
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                    try await Self.setImage(cluster, "web", "web:v2")
                    let rolled = try await eventually(within: .seconds(30)) { try await Self.isComplete(cluster, "web", image: "web:v2", replicas: 4) }
                    sampler.cancel()
                    #expect(rolled)
                    #expect(lowest.withLock { $0 } >= 3, "ready pods fell to \(lowest.withLock { $0 }) during the rollout (replicas 4, maxUnavailable 1)")

                    let deployment = try await cluster.admin.json("\(Self.deployments)/web")
                    let progressing = deployment[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == "Progressing" }
                    #expect(progressing?["reason"]?.stringValue == "NewReplicaSetAvailable")
                    let revisions = try await cluster.admin.items(Self.replicaSets).compactMap { $0[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.stringValue }
                    #expect(revisions.sorted() == ["1", "2"])

                    // `kubectl rollout undo`: the template of revision 1 goes back on the Deployment.
                    let first = try #require(try await cluster.admin.items(Self.replicaSets).first {
                        $0[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.stringValue == "1"
                    })
                    var template = try #require(first[path: ["spec", "template"]])
                    template[path: ["metadata", "labels", "pod-template-hash"]] = nil
                    _ = try await cluster.admin.request("PATCH", "\(Self.deployments)/web", body: JSONSerializer.bytes(["spec": ["template": template]]),
                                                        contentType: "application/merge-patch+json").requireJSON()
                    #expect(try await eventually(within: .seconds(30)) { try await Self.isComplete(cluster, "web", image: "web:v1", replicas: 4) })
                    let undone = try await cluster.admin.json("\(Self.replicaSets)/\(first.name ?? "")")
                    #expect(undone[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.stringValue == "3")
                    #expect(try await cluster.admin.items(Self.replicaSets).count == 2, "no third ReplicaSet for a rollback")
                }
            }
        }
    }

    @Test func recreateRemovesEveryOldPodBeforeAnyNewOne() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.deployments, Self.deployment("batch", replicas: 3, image: "batch:v1", strategy: ["type": "Recreate"]))
                    #expect(try await eventually { try await Self.isComplete(cluster, "batch", image: "batch:v1", replicas: 3) })
                    let mixed = Mutex(false)
                    let sampler = Task {
                        while !Task.isCancelled {
                            let images = try await Self.pods(cluster, app: "batch").images
                            if images.count > 1 { mixed.withLock { $0 = true } }
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                    try await Self.setImage(cluster, "batch", "batch:v2")
                    #expect(try await eventually(within: .seconds(30)) { try await Self.isComplete(cluster, "batch", image: "batch:v2", replicas: 3) })
                    sampler.cancel()
                    #expect(!mixed.withLock { $0 }, "v1 and v2 pods ran side by side")
                }
            }
        }
    }

    @Test func aPausedDeploymentScalesButDoesNotRollUntilResumed() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.deployments, Self.deployment("api", replicas: 2, image: "api:v1", strategy: ["type": "RollingUpdate"]))
                    #expect(try await eventually { try await Self.isComplete(cluster, "api", image: "api:v1", replicas: 2) })
                    func patch(_ body: JSONValue) async throws {
                        _ = try await cluster.admin.request("PATCH", "\(Self.deployments)/api", body: JSONSerializer.bytes(body), contentType: "application/merge-patch+json").requireJSON()
                    }
                    try await patch(["spec": ["paused": true]])
                    try await Self.setImage(cluster, "api", "api:v2")
                    try await patch(["spec": ["replicas": 3]])
                    #expect(try await eventually { try await Self.pods(cluster, app: "api").images == ["api:v1": 3] })
                    let paused = try await cluster.admin.json("\(Self.deployments)/api")
                    let progressing = paused[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == "Progressing" }
                    #expect(progressing?["reason"]?.stringValue == "DeploymentPaused")
                    try await patch(["spec": ["paused": false]])
                    #expect(try await eventually(within: .seconds(30)) { try await Self.isComplete(cluster, "api", image: "api:v2", replicas: 3) })
                }
            }
        }
    }
}
