import Foundation
import PalisadeAPI
import PalisadeClient
@testable import PalisadeControllers
import PalisadeTesting
import Synchronization
import Testing

/// The StatefulSet controller on a real server with hollow nodes (pods Running and Ready
/// once bound; without nodes they stay Pending).
@Suite struct StatefulSetControllerTests {
    static let statefulSets = "/apis/apps/v1/namespaces/default/statefulsets"
    static let pods = "/api/v1/namespaces/default/pods"
    static let claims = "/api/v1/namespaces/default/persistentvolumeclaims"

    static func statefulSet(
        _ name: String, replicas: Int64, image: String = "db:v1", policy: String = "OrderedReady", partition: Int64 = 0,
        claims: Bool = false, whenScaled: String = "Retain"
    ) -> JSONValue {
        var set: JSONValue = [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas), "serviceName": .string(name), "podManagementPolicy": .string(policy),
                "selector": ["matchLabels": ["app": .string(name)]],
                "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": .int(partition)]],
                "persistentVolumeClaimRetentionPolicy": ["whenDeleted": "Retain", "whenScaled": .string(whenScaled)],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "app", "image": .string(image), "resources": ["requests": ["cpu": "100m"]]]]],
                ],
            ],
        ]
        if claims {
            set[path: ["spec", "volumeClaimTemplates"]] = [[
                "metadata": ["name": "data", "labels": ["tier": "storage"]],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
            ]]
        }
        return set
    }

    /// The set's pods not being deleted, by name.
    static func livePods(_ cluster: TestCluster, app: String) async throws -> [String: JSONValue] {
        let pods = try await cluster.admin.items("\(Self.pods)?labelSelector=app%3D\(app)").filter { $0.deletionTimestamp == nil }
        return Dictionary(uniqueKeysWithValues: pods.map { ($0.name ?? "", $0) })
    }

    static func status(_ cluster: TestCluster, _ name: String) async throws -> JSONValue {
        try await cluster.admin.json("\(statefulSets)/\(name)")["status"] ?? .emptyObject
    }

    static func patch(_ cluster: TestCluster, _ path: String, _ body: JSONValue) async throws {
        _ = try await cluster.admin.request("PATCH", path, body: JSONSerializer.bytes(body), contentType: "application/merge-patch+json").requireJSON()
    }

    static func setImage(_ cluster: TestCluster, _ name: String, _ image: String) async throws {
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "app", "image": .string(image)]]]]]]
        _ = try await cluster.admin.request("PATCH", "\(statefulSets)/\(name)", body: JSONSerializer.bytes(patch), contentType: "application/strategic-merge-patch+json").requireJSON()
    }

    static func image(_ pod: JSONValue?) -> String? {
        pod?[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue
    }

    /// What `kubectl rollout status statefulset/<name>` waits for (RollingUpdate).
    static func rolledOut(_ cluster: TestCluster, _ name: String) async throws -> Bool {
        let set = try await cluster.admin.json("\(statefulSets)/\(name)")
        let replicas = set[path: ["spec", "replicas"]]?.intValue ?? 1
        let partition = set[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]]?.intValue ?? 0
        let status = set["status"] ?? .emptyObject
        guard let observed = status["observedGeneration"]?.intValue, observed >= (set[path: ["metadata", "generation"]]?.intValue ?? 1),
            (status["readyReplicas"]?.intValue ?? 0) >= replicas, (status["updatedReplicas"]?.intValue ?? 0) >= replicas - partition
        else { return false }
        return partition > 0 || status["currentRevision"] == status["updateRevision"]
    }

    @Test func podsAreCreatedInOrderWithTheirClaimsAndIdentity() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withControllers {
                try await cluster.admin.create(Self.statefulSets, Self.statefulSet("web", replicas: 2, claims: true))
                // No node: web-0 stays Pending, and a pass that saw it (status counts it) made no web-1.
                #expect(try await eventually { try await Self.status(cluster, "web")["replicas"]?.intValue == 1 })
                let pending = try await Self.livePods(cluster, app: "web")
                #expect(pending.keys.sorted() == ["web-0"])
                #expect(pending["web-0"]?[path: ["status", "phase"]]?.stringValue == "Pending")

                let claim = try await cluster.admin.json("\(Self.claims)/data-web-0")
                #expect(claim.labels == ["app": "web", "tier": "storage"])
                let pod = try #require(pending["web-0"])
                let volume = pod[path: ["spec", "volumes"]]?.arrayValue?.first { $0["name"]?.stringValue == "data" }
                #expect(volume?[path: ["persistentVolumeClaim", "claimName"]]?.stringValue == "data-web-0")
                #expect(pod[path: ["spec", "hostname"]]?.stringValue == "web-0")
                #expect(pod[path: ["spec", "subdomain"]]?.stringValue == "web")
                #expect(pod.labels["statefulset.kubernetes.io/pod-name"] == "web-0")
                #expect(pod.labels["apps.kubernetes.io/pod-index"] == "0")
                let revision = try await Self.status(cluster, "web")["updateRevision"]?.stringValue
                #expect(revision?.hasPrefix("web-") == true && pod.labels["controller-revision-hash"] == revision)
                let owner = pod[path: ["metadata", "ownerReferences"]]?.arrayValue?.first
                #expect(owner?["kind"]?.stringValue == "StatefulSet" && owner?["controller"]?.boolValue == true && owner?["blockOwnerDeletion"]?.boolValue == true)

                // Once web-0 can run, web-1 follows with its own claim.
                try await cluster.withHollowNodes(1) { _ in
                    #expect(try await eventually(within: .seconds(30)) { try await Self.rolledOut(cluster, "web") })
                    let pods = try await Self.livePods(cluster, app: "web")
                    #expect(pods.keys.sorted() == ["web-0", "web-1"])
                    #expect(pods["web-0"]?.uid == pod.uid, "web-0 was kept")
                    let volume = pods["web-1"]?[path: ["spec", "volumes"]]?.arrayValue?.first { $0["name"]?.stringValue == "data" }
                    #expect(volume?[path: ["persistentVolumeClaim", "claimName"]]?.stringValue == "data-web-1")
                    #expect(try await cluster.admin.items(Self.claims).compactMap(\.name).sorted() == ["data-web-0", "data-web-1"])
                }
            }
        }
    }

    @Test func scaleDownRemovesTheHighestOrdinalFirstAndItsClaimWhenScaledIsDelete() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.statefulSets, Self.statefulSet("db", replicas: 3, claims: true, whenScaled: "Delete"))
                    #expect(try await eventually(within: .seconds(30)) { try await Self.rolledOut(cluster, "db") })

                    // Record any moment db-1 is gone or going while db-2 is still there.
                    let outOfOrder = Mutex(false)
                    let sampler = Task {
                        while !Task.isCancelled {
                            let pods = try await cluster.admin.items("\(Self.pods)?labelSelector=app%3Ddb")
                            let live = Set(pods.filter { $0.deletionTimestamp == nil }.compactMap(\.name))
                            if !live.contains("db-1") && pods.contains(where: { $0.name == "db-2" }) { outOfOrder.withLock { $0 = true } }
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                    try await Self.patch(cluster, "\(Self.statefulSets)/db", ["spec": ["replicas": 1]])
                    let scaled = try await eventually(within: .seconds(30)) {
                        try await cluster.admin.items("\(Self.pods)?labelSelector=app%3Ddb").compactMap(\.name) == ["db-0"]
                    }
                    sampler.cancel()
                    #expect(scaled)
                    #expect(!outOfOrder.withLock { $0 }, "db-1 went before db-2")
                    // whenScaled: Delete removes the claims of the scaled-away ordinals only.
                    #expect(try await eventually { try await cluster.admin.items(Self.claims).compactMap(\.name) == ["data-db-0"] })
                    #expect(try await eventually { try await Self.status(cluster, "db")["replicas"]?.intValue == 1 })
                }
            }
        }
    }

    @Test func aRollingUpdateReplacesPodsFromTheHighestOrdinalDown() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.statefulSets, Self.statefulSet("web", replicas: 3))
                    #expect(try await eventually(within: .seconds(30)) { try await Self.rolledOut(cluster, "web") })
                    let before = try await Self.status(cluster, "web")

                    // The order in which pods are first seen at v2, and the fewest ready pods.
                    let order = Mutex<[String]>([])
                    let lowest = Mutex(Int.max)
                    let sampler = Task {
                        while !Task.isCancelled {
                            let pods = try await Self.livePods(cluster, app: "web")
                            order.withLock { order in
                                for name in pods.keys.sorted() where Self.image(pods[name]) == "db:v2" && !order.contains(name) { order.append(name) }
                            }
                            lowest.withLock { $0 = min($0, pods.values.filter(PodState.isReady).count) }
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                    try await Self.setImage(cluster, "web", "db:v2")
                    let rolled = try await eventually(within: .seconds(45)) {
                        let pods = try await Self.livePods(cluster, app: "web")
                        return try await Self.rolledOut(cluster, "web") && pods.count == 3 && pods.values.allSatisfy { Self.image($0) == "db:v2" }
                    }
                    sampler.cancel()
                    #expect(rolled)
                    #expect(order.withLock { $0 } == ["web-2", "web-1", "web-0"])
                    #expect(lowest.withLock { $0 } >= 2, "ready pods fell to \(lowest.withLock { $0 }) (replicas 3, maxUnavailable 1)")
                    let after = try await Self.status(cluster, "web")
                    #expect(after["currentRevision"] == after["updateRevision"])
                    #expect(after["updateRevision"] != before["updateRevision"])
                    #expect(after["currentReplicas"]?.intValue == 3 && after["updatedReplicas"]?.intValue == 3)
                }
            }
        }
    }

    @Test func aPartitionLeavesLowerOrdinalsAtTheirRevision() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.statefulSets, Self.statefulSet("web", replicas: 3, partition: 2))
                    #expect(try await eventually(within: .seconds(30)) { try await Self.rolledOut(cluster, "web") })
                    let before = try await Self.livePods(cluster, app: "web")
                    try await Self.setImage(cluster, "web", "db:v2")
                    // The pass that counts web-2 updated and every pod ready is the one that would
                    // go on to web-1: its status is written after its deletions.
                    #expect(try await eventually(within: .seconds(30)) {
                        let status = try await Self.status(cluster, "web")
                        return status["updatedReplicas"]?.intValue == 1 && status["readyReplicas"]?.intValue == 3
                    })
                    #expect(try await Self.rolledOut(cluster, "web"), "a partitioned rollout is complete")
                    let after = try await Self.livePods(cluster, app: "web")
                    #expect(Self.image(after["web-2"]) == "db:v2")
                    for name in ["web-0", "web-1"] {
                        #expect(after[name]?.uid == before[name]?.uid && Self.image(after[name]) == "db:v1", "\(name) was left alone")
                    }
                    let status = try await Self.status(cluster, "web")
                    #expect(status["currentRevision"] != status["updateRevision"] && status["currentReplicas"]?.intValue == 2)
                }
            }
        }
    }

    @Test func parallelCreatesEveryPodAtOnce() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withControllers {
                // No node: none can become ready, so ordered creation would stop at one.
                try await cluster.admin.create(Self.statefulSets, Self.statefulSet("cache", replicas: 3, policy: "Parallel"))
                #expect(try await eventually { try await Self.livePods(cluster, app: "cache").keys.sorted() == ["cache-0", "cache-1", "cache-2"] })
            }
        }
    }

    @Test func aFailedPodIsRecreatedUnderItsName() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.statefulSets, Self.statefulSet("job", replicas: 1))
                    #expect(try await eventually(within: .seconds(30)) { try await Self.rolledOut(cluster, "job") })
                    let first = try await cluster.admin.json("\(Self.pods)/job-0")
                    try await Self.patch(cluster, "\(Self.pods)/job-0/status", ["status": ["phase": "Failed"]])
                    #expect(try await eventually(within: .seconds(30)) {
                        let pod = try await Self.livePods(cluster, app: "job")["job-0"]
                        return pod != nil && pod?.uid != first.uid && pod?[path: ["status", "phase"]]?.stringValue == "Running"
                    })
                }
            }
        }
    }

    @Test func anOrphanWithTheSetsNameAndLabelsIsAdopted() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers {
                    let orphan = try await cluster.admin.create(Self.pods, Workloads.pod("kv-0", labels: ["app": "kv"]))
                    try await cluster.admin.create(Self.pods, Workloads.pod("kv-helper", labels: ["app": "kv"]))
                    // OnDelete: under RollingUpdate the adopted pod, which has no revision, would be replaced (as in Kubernetes).
                    var set = Self.statefulSet("kv", replicas: 2)
                    set[path: ["spec", "updateStrategy"]] = ["type": "OnDelete"]
                    try await cluster.admin.create(Self.statefulSets, set)
                    #expect(try await eventually(within: .seconds(30)) { try await Self.status(cluster, "kv")["readyReplicas"]?.intValue == 2 })
                    let adopted = try await cluster.admin.json("\(Self.pods)/kv-0")
                    #expect(adopted.uid == orphan.uid)
                    #expect(adopted[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["name"]?.stringValue == "kv")
                    #expect(adopted.labels["statefulset.kubernetes.io/pod-name"] == "kv-0", "its identity labels were put on")
                    let helper = try await cluster.admin.json("\(Self.pods)/kv-helper")
                    #expect((helper[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).isEmpty, "a pod not named as the set's is not taken")
                }
            }
        }
    }
}

/// The ordering, identity, retention and status rules without a server.
@Suite struct StatefulSetRulesTests {
    static let now = Date()
    static let revision = "web-new"

    static func pod(_ ordinal: Int, phase: String = "Running", ready: Bool = true, revision: String = revision, deleting: Bool = false) -> JSONValue {
        var pod: JSONValue = [
            "metadata": ["name": .string("web-\(ordinal)"), "labels": ["controller-revision-hash": .string(revision)]],
            "status": ["phase": .string(phase), "conditions": [["type": "Ready", "status": ready ? "True" : "False"]]],
        ]
        if deleting { pod[path: ["metadata", "deletionTimestamp"]] = "2024-01-01T00:00:00Z" }
        return pod
    }

    static func settings(replicas: Int, ordered: Bool = true, partition: Int = 0, maxUnavailable: Int = 1) -> StatefulPlan.Settings {
        StatefulPlan.Settings(ordinals: 0..<replicas, ordered: ordered, partition: partition, maxUnavailable: maxUnavailable, updateRevision: revision)
    }

    static func actions(_ settings: StatefulPlan.Settings, _ pods: [JSONValue]) -> [StatefulPlan.Action] {
        StatefulPlan.actions(settings, pods: Dictionary(uniqueKeysWithValues: pods.map { (Int($0.name!.split(separator: "-").last!)!, $0) }), now: now)
    }

    @Test func orderedReadyCreatesTheNextOrdinalOnlyAfterTheLowerOnesAreUp() {
        #expect(Self.actions(Self.settings(replicas: 3), []) == [.create(ordinal: 0)])
        #expect(Self.actions(Self.settings(replicas: 3), [Self.pod(0, phase: "Pending", ready: false)]) == [])
        #expect(Self.actions(Self.settings(replicas: 3), [Self.pod(0, ready: false)]) == [])
        #expect(Self.actions(Self.settings(replicas: 3), [Self.pod(0)]) == [.create(ordinal: 1)])
        #expect(Self.actions(Self.settings(replicas: 3, ordered: false), []) == [.create(ordinal: 0), .create(ordinal: 1), .create(ordinal: 2)])
    }

    @Test func aFinishedPodIsDeletedToBeRecreated() {
        #expect(Self.actions(Self.settings(replicas: 2), [Self.pod(0, phase: "Failed"), Self.pod(1)]) == [.delete(ordinal: 0)])
        #expect(Self.actions(Self.settings(replicas: 2), [Self.pod(0, phase: "Succeeded", deleting: true), Self.pod(1)]) == [])
        #expect(Self.actions(Self.settings(replicas: 2), [Self.pod(0)]) == [.create(ordinal: 1)])
    }

    @Test func scalingDownTakesTheHighestOrdinalFirst() {
        let pods = (0..<4).map { Self.pod($0) }
        #expect(Self.actions(Self.settings(replicas: 2), pods) == [.delete(ordinal: 3)])
        #expect(Self.actions(Self.settings(replicas: 2), Array(pods.prefix(3)) + [Self.pod(3, deleting: true)]) == [], "waits for it to be gone")
        #expect(Self.actions(Self.settings(replicas: 2, ordered: false), pods) == [.delete(ordinal: 3), .delete(ordinal: 2)])
        #expect(Self.actions(Self.settings(replicas: 2), [Self.pod(0, ready: false)] + pods.dropFirst()) == [], "not while a pod in range is down")
    }

    @Test func aRollingUpdateGoesDownFromTheHighestOrdinalToThePartition() {
        let old = (0..<3).map { Self.pod($0, revision: "web-old") }
        #expect(Self.actions(Self.settings(replicas: 3), old) == [.delete(ordinal: 2)])
        // The replacement is waited for, then the next one goes.
        #expect(Self.actions(Self.settings(replicas: 3), Array(old.prefix(2))) == [.create(ordinal: 2)])
        #expect(Self.actions(Self.settings(replicas: 3), Array(old.prefix(2)) + [Self.pod(2, ready: false)]) == [])
        #expect(Self.actions(Self.settings(replicas: 3), Array(old.prefix(2)) + [Self.pod(2)]) == [.delete(ordinal: 1)])
        #expect(Self.actions(Self.settings(replicas: 3), [old[0], Self.pod(1), Self.pod(2)]) == [.delete(ordinal: 0)])
        #expect(Self.actions(Self.settings(replicas: 3), (0..<3).map { Self.pod($0) }) == [])
        // The partition stops it; maxUnavailable lets several go at once.
        #expect(Self.actions(Self.settings(replicas: 3, partition: 2), Array(old.prefix(2)) + [Self.pod(2)]) == [])
        #expect(Self.actions(Self.settings(replicas: 3, maxUnavailable: 2), old) == [.delete(ordinal: 2), .delete(ordinal: 1)])
        var onDelete = Self.settings(replicas: 3)
        onDelete.rollingUpdate = false
        #expect(Self.actions(onDelete, old) == [])
    }

    @Test func settingsFollowTheSpec() {
        let set: JSONValue = [
            "metadata": ["name": "web"],
            "spec": [
                "replicas": 4, "podManagementPolicy": "Parallel", "ordinals": ["start": 5],
                "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": 1, "maxUnavailable": "50%"]],
            ],
        ]
        let settings = StatefulPlan.settings(of: set)
        #expect(settings.ordinals == 5..<9 && !settings.ordered && settings.rollingUpdate && settings.partition == 1 && settings.maxUnavailable == 2)
        #expect(settings.updateRevision.hasPrefix("web-"))
        var changed = set
        changed[path: ["spec", "template", "spec", "containers"]] = [["name": "app", "image": "v2"]]
        #expect(StatefulPlan.settings(of: changed).updateRevision != settings.updateRevision)
        var counted = changed
        counted[path: ["status", "collisionCount"]] = 0
        #expect(StatefulPodIdentity.updateRevision(of: counted) == StatefulPodIdentity.updateRevision(of: changed), "writing collisionCount 0 to status changes no revision")
    }

    @Test func aPodCarriesItsIdentityAndClaims() {
        let set: JSONValue = [
            "metadata": ["name": "web", "namespace": "prod", "uid": "set-uid"],
            "spec": [
                "serviceName": "nginx", "selector": ["matchLabels": ["app": "web"]],
                "template": [
                    "metadata": ["labels": ["app": "web"]],
                    "spec": ["containers": [["name": "app"]], "volumes": [["name": "data", "emptyDir": .emptyObject], ["name": "config", "emptyDir": .emptyObject]]],
                ],
                "volumeClaimTemplates": [["metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"]]]],
            ],
        ]
        let pod = StatefulPodIdentity.pod(for: set, ordinal: 3, revision: "web-abc")
        #expect(pod.name == "web-3" && pod.namespace == "prod")
        #expect(pod.labels == ["app": "web", "statefulset.kubernetes.io/pod-name": "web-3", "apps.kubernetes.io/pod-index": "3", "controller-revision-hash": "web-abc"])
        #expect(pod[path: ["spec", "hostname"]] == "web-3" && pod[path: ["spec", "subdomain"]] == "nginx")
        #expect(pod[path: ["spec", "volumes"]] == [["name": "config", "emptyDir": .emptyObject], ["name": "data", "persistentVolumeClaim": ["claimName": "data-web-3"]]])
        #expect(OwnerReference.controller(of: pod)?["uid"] == "set-uid")
        let claims = StatefulPodIdentity.claims(for: set, ordinal: 3)
        #expect(claims.map(\.name) == ["data-web-3"] && claims.first?.labels == ["app": "web"] && claims.first?.namespace == "prod")

        #expect(StatefulPodIdentity.ordinal(of: ["metadata": ["name": "web-12"]], in: set) == 12)
        for name in ["web-01", "web-", "web-x", "webby-1", "web-1-2", "web--1"] {
            #expect(StatefulPodIdentity.ordinal(of: ["metadata": ["name": .string(name)]], in: set) == nil, "\(name)")
        }
        #expect(StatefulClaims.ordinal(of: ["metadata": ["name": "data-web-4"]], in: set) == 4)
        #expect(StatefulClaims.ordinal(of: ["metadata": ["name": "logs-web-4"]], in: set) == nil)
        #expect(StatefulPodIdentity.identityPatch(pod, set: set, ordinal: 3) == nil)
        var relabelled = pod
        relabelled[path: ["metadata", "labels", "apps.kubernetes.io/pod-index"]] = nil
        #expect(StatefulPodIdentity.identityPatch(relabelled, set: set, ordinal: 3) != nil)
    }

    @Test func retentionPolicyBecomesOwnerReferences() {
        let set: JSONValue = ["metadata": ["name": "web", "uid": "set-uid"], "spec": ["volumeClaimTemplates": [["metadata": ["name": "data"]]]]]
        let pod: JSONValue = ["metadata": ["name": "web-2", "uid": "pod-uid"]]
        let claim: JSONValue = ["metadata": ["name": "data-web-2"]]
        func owners(_ claim: JSONValue, pod: JSONValue?, inRange: Bool, deleted: Bool, scaled: Bool) -> [String] {
            StatefulClaims.ownerReferences(
                of: claim, set: set, pod: pod, inRange: inRange, policy: .init(deleteWhenDeleted: deleted, deleteWhenScaled: scaled)
            ).compactMap { $0["uid"]?.stringValue }
        }
        #expect(owners(claim, pod: pod, inRange: true, deleted: false, scaled: false) == [])
        #expect(owners(claim, pod: pod, inRange: false, deleted: true, scaled: false) == ["set-uid"])
        #expect(owners(claim, pod: pod, inRange: true, deleted: false, scaled: true) == [])
        #expect(owners(claim, pod: pod, inRange: false, deleted: false, scaled: true) == ["pod-uid"])
        #expect(owners(claim, pod: pod, inRange: true, deleted: true, scaled: true) == ["set-uid"])
        #expect(owners(claim, pod: pod, inRange: false, deleted: true, scaled: true) == ["pod-uid"])
        let setReference = StatefulClaims.ownerReferences(of: claim, set: set, pod: nil, inRange: true, policy: .init(deleteWhenDeleted: true)).first
        #expect(setReference?["controller"] == nil && setReference?["kind"] == "StatefulSet")

        // Scaled away, the pod owns it (the garbage collector deletes it with the pod); scaled back up, it does not.
        var condemned = claim
        condemned[path: ["metadata", "ownerReferences"]] = [StatefulClaims.reference(to: pod, kind: "Pod", apiVersion: "v1")]
        #expect(owners(condemned, pod: nil, inRange: true, deleted: false, scaled: true) == [], "scaled back up: the pod no longer owns it")
    }

    @Test func statusCompletesTheRollingUpdateOnlyWhenEveryPodIsUpdatedAndReady() {
        var set: JSONValue = [
            "metadata": ["name": "web", "generation": 4], "spec": ["replicas": 2],
            "status": ["currentRevision": "web-old"],
        ]
        let mixed = StatefulSetStatus.compute(set, pods: [Self.pod(0, revision: "web-old"), Self.pod(1)], updateRevision: Self.revision, now: Self.now)
        #expect(mixed["currentRevision"] == "web-old" && mixed["currentReplicas"] == 1 && mixed["updatedReplicas"] == 1)
        #expect(mixed["observedGeneration"] == 4 && mixed["replicas"] == 2 && mixed["readyReplicas"] == 2 && mixed["updateRevision"] == "web-new")
        let notReady = StatefulSetStatus.compute(set, pods: [Self.pod(0), Self.pod(1, ready: false)], updateRevision: Self.revision, now: Self.now)
        #expect(notReady["currentRevision"] == "web-old")
        let done = StatefulSetStatus.compute(set, pods: [Self.pod(0), Self.pod(1)], updateRevision: Self.revision, now: Self.now)
        #expect(done["currentRevision"] == "web-new" && done["currentReplicas"] == 2 && done["collisionCount"] == 0)
        set[path: ["spec", "updateStrategy", "type"]] = "OnDelete"
        #expect(StatefulSetStatus.compute(set, pods: [Self.pod(0), Self.pod(1)], updateRevision: Self.revision, now: Self.now)["currentRevision"] == "web-old")
    }
}
