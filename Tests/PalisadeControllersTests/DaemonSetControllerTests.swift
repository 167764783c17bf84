import Foundation
import PalisadeAPI
import PalisadeClient
@testable import PalisadeControllers
import PalisadeTesting
import Synchronization
import Testing

/// The DaemonSet controller on a real server with hollow nodes: a pod per eligible node,
/// bound by the scheduler through its `metadata.name` affinity.
@Suite struct DaemonSetControllerTests {
    static let daemonSets = "/apis/apps/v1/namespaces/default/daemonsets"
    static let pods = "/api/v1/namespaces/default/pods"
    static let gpuTaint: JSONValue = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]

    static func daemonSet(_ name: String, nodeSelector: [String: String] = [:], image: String = "agent:v1") -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": .string(name)],
            "spec": [
                "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": [
                        "nodeSelector": .object(nodeSelector.mapValues(JSONValue.string)),
                        "containers": [["name": "agent", "image": .string(image), "resources": ["requests": ["cpu": "50m"]]]],
                    ],
                ],
            ],
        ]
    }

    /// The DaemonSet's pods not being deleted.
    static func livePods(_ cluster: TestCluster, _ name: String) async throws -> [JSONValue] {
        try await cluster.admin.items("\(pods)?labelSelector=app%3D\(name)").filter { $0.deletionTimestamp == nil }
    }

    /// Node of each live, running pod (a node twice if it has two).
    static func runningNodes(_ cluster: TestCluster, _ name: String) async throws -> [String] {
        try await livePods(cluster, name).filter { $0[path: ["status", "phase"]]?.stringValue == "Running" }
            .compactMap { $0[path: ["spec", "nodeName"]]?.stringValue }.sorted()
    }

    static func status(_ cluster: TestCluster, _ name: String) async throws -> JSONValue {
        try await cluster.admin.json("\(daemonSets)/\(name)")["status"] ?? .emptyObject
    }

    static func patch(_ cluster: TestCluster, _ path: String, _ body: JSONValue, subresource: String = "") async throws {
        _ = try await cluster.admin.request("PATCH", path + subresource, body: JSONSerializer.bytes(body), contentType: "application/merge-patch+json").requireJSON()
    }

    @Test func onePodPerEligibleNodeFollowingNodesComingAndGoing() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(3, taints: ["hollow-2": [Self.gpuTaint]]) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.daemonSets, Self.daemonSet("agent"))
                    #expect(try await eventually {
                        let status = try await Self.status(cluster, "agent")
                        return status["numberAvailable"]?.intValue == 2 && status["desiredNumberScheduled"]?.intValue == 2
                    })
                    #expect(try await Self.runningNodes(cluster, "agent") == ["hollow-0", "hollow-1"], "one pod per untainted node, none on the tainted one")
                    let pod = try #require(try await Self.livePods(cluster, "agent").first)
                    #expect(pod.name?.hasPrefix("agent-") == true)
                    #expect(OwnerReference.controller(of: pod)?["kind"]?.stringValue == "DaemonSet")
                    let field = pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?
                        .arrayValue?.first?["matchFields"]?.arrayValue?.first
                    #expect(field?["key"]?.stringValue == "metadata.name" && field?["values"] == [pod[path: ["spec", "nodeName"]] ?? ""])
                    let tolerated = Set((pod[path: ["spec", "tolerations"]]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue })
                    #expect(tolerated.isSuperset(of: ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable"]))
                    let status = try await Self.status(cluster, "agent")
                    #expect(status["currentNumberScheduled"]?.intValue == 2 && status["numberMisscheduled"]?.intValue == 0)
                    #expect(status["updatedNumberScheduled"]?.intValue == 2 && status["numberUnavailable"]?.intValue == 0)

                    // A node registered later gets a pod; once it is removed, the pod goes.
                    let late = HollowNodes(client: cluster.admin, count: 1, prefix: "late-")
                    try await late.register()
                    let lateTask = Task { await late.run(heartbeat: .seconds(10)) }
                    defer { lateTask.cancel() }
                    #expect(try await eventually { try await Self.runningNodes(cluster, "agent") == ["hollow-0", "hollow-1", "late-0"] })
                    #expect(try await eventually { try await Self.status(cluster, "agent")["desiredNumberScheduled"]?.intValue == 3 })
                    _ = try await cluster.admin.request("DELETE", "/api/v1/nodes/late-0", json: nil).requireJSON()
                    #expect(try await eventually {
                        try await Self.livePods(cluster, "agent").compactMap { DaemonPodTemplate.targetNode(of: $0) }.sorted() == ["hollow-0", "hollow-1"]
                    })
                    #expect(try await eventually { try await Self.status(cluster, "agent")["desiredNumberScheduled"]?.intValue == 2 })
                }
            }
        }
    }

    @Test func nodeSelectorIsHonouredAsNodeLabelsChange() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await Self.patch(cluster, "/api/v1/nodes/hollow-0", ["metadata": ["labels": ["disk": "ssd"]]])
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.daemonSets, Self.daemonSet("cache", nodeSelector: ["disk": "ssd"]))
                    #expect(try await eventually { try await Self.runningNodes(cluster, "cache") == ["hollow-0"] })
                    #expect(try await eventually { try await Self.status(cluster, "cache")["desiredNumberScheduled"]?.intValue == 1 })

                    // The label moves: the pod follows it.
                    try await Self.patch(cluster, "/api/v1/nodes/hollow-1", ["metadata": ["labels": ["disk": "ssd"]]])
                    #expect(try await eventually { try await Self.runningNodes(cluster, "cache") == ["hollow-0", "hollow-1"] })
                    try await Self.patch(cluster, "/api/v1/nodes/hollow-0", ["metadata": ["labels": ["disk": .null]]])
                    #expect(try await eventually { try await Self.runningNodes(cluster, "cache") == ["hollow-1"] })
                    #expect(try await eventually {
                        let status = try await Self.status(cluster, "cache")
                        return status["desiredNumberScheduled"]?.intValue == 1 && status["numberAvailable"]?.intValue == 1
                    })
                }
            }
        }
    }

    @Test func rollingUpdateReplacesEveryPodOneNodeAtATime() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(3) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.daemonSets, Self.daemonSet("logs"))
                    #expect(try await eventually { try await Self.status(cluster, "logs")["numberAvailable"]?.intValue == 3 })
                    let before = Set(try await Self.livePods(cluster, "logs").compactMap(\.name))
                    #expect(before.count == 3)

                    let template: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "agent", "image": "agent:v2", "resources": ["requests": ["cpu": "50m"]]]]]]]]
                    try await Self.patch(cluster, "\(Self.daemonSets)/logs", template)
                    let generation = try #require(try await cluster.admin.json("\(Self.daemonSets)/logs")[path: ["metadata", "generation"]]?.intValue)
                    // maxUnavailable 1: at every look, at least two nodes have a ready pod.
                    let fewestReady = Mutex(3)
                    let rolledOut = try await eventually(within: .seconds(30)) {
                        let live = try await Self.livePods(cluster, "logs")
                        let readyNodes = Set(live.filter(PodState.isReady).compactMap { $0[path: ["spec", "nodeName"]]?.stringValue })
                        fewestReady.withLock { $0 = min($0, readyNodes.count) }
                        // What `kubectl rollout status daemonset/logs` waits for.
                        let status = try await Self.status(cluster, "logs")
                        return status["observedGeneration"]?.intValue == generation && status["updatedNumberScheduled"]?.intValue == 3
                            && status["numberAvailable"]?.intValue == 3 && status["desiredNumberScheduled"]?.intValue == 3
                    }
                    #expect(rolledOut)
                    #expect(fewestReady.withLock { $0 } >= 2, "more than maxUnavailable nodes were down at once")
                    let after = try await Self.livePods(cluster, "logs")
                    #expect(after.count == 3 && before.isDisjoint(with: after.compactMap(\.name)), "every pod was replaced")
                    #expect(after.allSatisfy { $0[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue == "agent:v2" })
                }
            }
        }
    }

    @Test func aFailedDaemonPodIsReplaced() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.daemonSets, Self.daemonSet("probe"))
                    #expect(try await eventually { try await Self.runningNodes(cluster, "probe") == ["hollow-0"] })
                    let failed = try #require(try await Self.livePods(cluster, "probe").first?.name)
                    try await Self.patch(cluster, "\(Self.pods)/\(failed)", ["status": ["phase": "Failed"]], subresource: "/status")
                    #expect(try await eventually {
                        let live = try await Self.livePods(cluster, "probe")
                        return live.count == 1 && live[0].name != failed && live[0][path: ["status", "phase"]]?.stringValue == "Running"
                    })
                }
            }
        }
    }
}

/// The decisions of a DaemonSet pass, without a server.
@Suite struct DaemonPlanTests {
    static func node(_ name: String, labels: [String: String] = [:], taints: [JSONValue] = [], ready: Bool = true) -> NodeInfo {
        NodeInfo([
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": ["taints": .array(taints)],
            "status": ["conditions": [["type": "Ready", "status": ready ? "True" : "False"]]],
        ])
    }

    static func pod(_ name: String, hash: String = "new", created: String = "2026-01-01T00:00:00Z", ready: Bool = true, phase: String = "Running") -> JSONValue {
        [
            "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": .string(created), "labels": [DaemonPodTemplate.revisionLabel: .string(hash)]],
            "status": [
                "phase": .string(phase),
                "conditions": [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": "2026-01-01T00:00:00Z"]],
            ],
        ]
    }

    static let fits = DaemonNodeFit(shouldRun: true, shouldContinueRunning: true)

    @Test func theSchedulerMatchesFieldsOnTheNodeName() {
        let pod = DaemonPodTemplate.pod(for: DaemonSetControllerTests.daemonSet("agent"), node: "hollow-1", hash: "h")
        let placement = PodPlacement(pod)
        #expect(PlacementFilters.matchesNodeSelection(placement, Self.node("hollow-1")))
        #expect(!PlacementFilters.matchesNodeSelection(placement, Self.node("hollow-0")))
        #expect(DaemonPodTemplate.targetNode(of: pod) == "hollow-1")
        // A field other than metadata.name matches no node.
        let other = PodPlacement(["spec": ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchFields": [["key": "spec.unschedulable", "operator": "In", "values": ["hollow-1"]]]],
        ]]]]]])
        #expect(!PlacementFilters.matchesNodeSelection(other, Self.node("hollow-1")))
    }

    @Test func eligibilityFollowsSelectorsTaintsAndAutomaticTolerations() {
        let placement = DaemonNodeFit.placement(of: DaemonSetControllerTests.daemonSet("agent", nodeSelector: ["role": "edge"]))
        #expect(DaemonNodeFit(placement, on: Self.node("a", labels: ["role": "edge"])) == Self.fits)
        #expect(!DaemonNodeFit(placement, on: Self.node("b")).shouldRun)
        let gpu = DaemonNodeFit(placement, on: Self.node("c", labels: ["role": "edge"], taints: [DaemonSetControllerTests.gpuTaint]))
        #expect(!gpu.shouldRun && gpu.shouldContinueRunning, "a NoSchedule taint keeps new pods away, not running ones")
        let evicting = DaemonNodeFit(placement, on: Self.node("d", labels: ["role": "edge"], taints: [["key": "x", "value": "", "effect": "NoExecute"]]))
        #expect(!evicting.shouldRun && !evicting.shouldContinueRunning)
        let unreachable = DaemonNodeFit(placement, on: Self.node("e", labels: ["role": "edge"], taints: [
            ["key": "node.kubernetes.io/unreachable", "effect": "NoExecute"], ["key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"],
        ]))
        #expect(unreachable == Self.fits, "daemon pods tolerate unreachable and cordoned nodes")
    }

    @Test func manageKeepsOneRunningPodPerEligibleNode() {
        let nodes = [
            DaemonNode(name: "empty", fit: Self.fits, pods: []),
            DaemonNode(name: "twice", fit: Self.fits, pods: [Self.pod("young", created: "2026-01-02T00:00:00Z"), Self.pod("old")]),
            DaemonNode(name: "failed", fit: Self.fits, pods: [Self.pod("dead", phase: "Failed")]),
            DaemonNode(name: "tainted", fit: DaemonNodeFit(shouldRun: false, shouldContinueRunning: true), pods: [Self.pod("stays")]),
            DaemonNode(name: "evicted", fit: DaemonNodeFit(shouldRun: false, shouldContinueRunning: false), pods: [Self.pod("goes")]),
        ]
        let actions = DaemonPlan.manage(nodes, strays: [Self.pod("orphan")])
        #expect(actions.create.sorted() == ["empty", "failed"])
        #expect(actions.delete.compactMap(\.name).sorted() == ["dead", "goes", "young"])
        #expect(actions.deleteNow.compactMap(\.name) == ["orphan"])
    }

    @Test func rollingUpdateStaysWithinMaxUnavailable() {
        let now = Date()
        let nodes = (0..<4).map { DaemonNode(name: "n\($0)", fit: Self.fits, pods: [Self.pod("old\($0)", hash: "old")]) }
        #expect(DaemonPlan.rollingUpdate(nodes, hash: "new", maxUnavailable: 1, minReadySeconds: 0, now: now).count == 1)
        #expect(DaemonPlan.rollingUpdate(nodes, hash: "new", maxUnavailable: 3, minReadySeconds: 0, now: now).count == 3)
        // One node already has an updated pod that is not ready: nothing more goes, except old pods that are down anyway.
        var updating = nodes
        updating[0] = DaemonNode(name: "n0", fit: Self.fits, pods: [Self.pod("new0", ready: false)])
        updating[1] = DaemonNode(name: "n1", fit: Self.fits, pods: [Self.pod("broken", hash: "old", ready: false)])
        #expect(DaemonPlan.rollingUpdate(updating, hash: "new", maxUnavailable: 1, minReadySeconds: 0, now: now).compactMap(\.name) == ["broken"])
        let daemonSet: JSONValue = ["spec": ["updateStrategy": ["rollingUpdate": ["maxUnavailable": "30%"]]]]
        #expect(DaemonPlan.maxUnavailable(daemonSet, desired: 10) == 3)
        #expect(DaemonPlan.maxUnavailable(["spec": .emptyObject], desired: 10) == 1)
    }

    @Test func statusCountsTheOldestPodOfEachNode() {
        let nodes = [
            DaemonNode(name: "a", fit: Self.fits, pods: [Self.pod("a1")]),
            DaemonNode(name: "b", fit: Self.fits, pods: [Self.pod("b1", hash: "old", ready: false)]),
            DaemonNode(name: "c", fit: Self.fits, pods: []),
            DaemonNode(name: "d", fit: DaemonNodeFit(shouldRun: false, shouldContinueRunning: true), pods: [Self.pod("d1")]),
        ]
        let status = DaemonPlan.status(["metadata": ["generation": 4]], nodes: nodes, hash: "new", now: Date())
        #expect(status["desiredNumberScheduled"] == 3 && status["currentNumberScheduled"] == 2 && status["numberMisscheduled"] == 1)
        #expect(status["numberReady"] == 1 && status["numberAvailable"] == 1 && status["numberUnavailable"] == 2)
        #expect(status["updatedNumberScheduled"] == 1 && status["observedGeneration"] == 4)
    }
}
