import Foundation
import PalisadeAPI
import PalisadeClient
@testable import PalisadeControllers
import PalisadeTesting
import Testing

/// Node heartbeats, NoExecute taints and evictions.
@Suite struct NodeLifecycleControllerTests {
    static let pods = "/api/v1/namespaces/default/pods"
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func taint(_ key: String, addedAt added: Date) -> JSONValue {
        ["key": .string(key), "effect": "NoExecute", "timeAdded": .string(Timestamp.format(added))]
    }

    private func pod(tolerations: [JSONValue]) -> JSONValue {
        ["metadata": ["name": "p"], "spec": ["tolerations": .array(tolerations)]]
    }

    @Test func anUntoleratedTaintEvictsAtOnce() {
        let deadline = NoExecuteEviction.deadline(for: pod(tolerations: []), taints: [taint(NodeHealth.unreachable, addedAt: start)], now: start)
        #expect(deadline == start)
    }

    @Test func theShortestMatchingTolerationDecides() {
        let tolerations: [JSONValue] = [
            ["key": .string(NodeHealth.unreachable), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
            ["operator": "Exists", "tolerationSeconds": 60],
            ["key": "other", "operator": "Exists", "tolerationSeconds": 1],
        ]
        let deadline = NoExecuteEviction.deadline(for: pod(tolerations: tolerations), taints: [taint(NodeHealth.unreachable, addedAt: start)], now: start)
        #expect(deadline == start.addingTimeInterval(60))
    }

    @Test func anUnboundedTolerationLetsThePodStay() {
        let tolerations: [JSONValue] = [["key": .string(NodeHealth.unreachable), "operator": "Exists", "effect": "NoExecute"]]
        let taints = [taint(NodeHealth.unreachable, addedAt: start), ["key": "dedicated", "value": "x", "effect": "NoSchedule"]]
        #expect(NoExecuteEviction.deadline(for: pod(tolerations: tolerations), taints: taints, now: start) == nil)
    }

    @Test func theTaintFollowsTheReadyCondition() {
        func node(ready: String, taints: [JSONValue]) -> JSONValue {
            ["metadata": ["name": "n"], "spec": ["taints": .array(taints)], "status": ["conditions": [["type": "Ready", "status": .string(ready)]]]]
        }
        let dedicated: JSONValue = ["key": "dedicated", "value": "db", "effect": "NoSchedule"]
        let unknown = NodeHealth.taints(of: node(ready: "Unknown", taints: [dedicated]), now: start)
        #expect(unknown.map { $0["key"]?.stringValue } == ["dedicated", NodeHealth.unreachable])
        // Unchanged, the taint keeps the time it was added.
        let earlier = taint(NodeHealth.unreachable, addedAt: start.addingTimeInterval(-100))
        #expect(NodeHealth.taints(of: node(ready: "Unknown", taints: [earlier]), now: start) == [earlier])
        #expect(NodeHealth.taints(of: node(ready: "False", taints: [earlier]), now: start).map { $0["key"]?.stringValue } == [NodeHealth.notReady])
        #expect(NodeHealth.taints(of: node(ready: "True", taints: [dedicated, earlier]), now: start) == [dedicated])
    }

    @Test func aSilentNodeGoesUnknownAndItsPodsAreEvictedWhenTheirTolerationEnds() async throws {
        let configuration = {
            var configuration = TestCluster.testControllers
            // Well above the heartbeat, so a loaded machine does not miss one.
            configuration.nodeMonitorGracePeriod = .seconds(5)
            return configuration
        }()
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2, heartbeat: .milliseconds(200)) { nodes in
                try await cluster.withControllers(configuration) {
                    let onFirst = ["kubernetes.io/hostname": JSONValue.string("hollow-0")]
                    var impatient = Workloads.pod("impatient", tolerations: [
                        ["key": .string(NodeHealth.unreachable), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 0],
                    ])
                    impatient[path: ["spec", "nodeSelector"]] = .object(onFirst)
                    var plain = Workloads.pod("plain")
                    plain[path: ["spec", "nodeSelector"]] = .object(onFirst)
                    try await cluster.admin.create(Self.pods, impatient)
                    let created = try await cluster.admin.create(Self.pods, plain)
                    // DefaultTolerationSeconds gave the plain pod five minutes.
                    #expect(created[path: ["spec", "tolerations"]]?.arrayValue?.contains {
                        $0["key"]?.stringValue == NodeHealth.unreachable && $0["tolerationSeconds"] == 300
                    } == true)
                    #expect(try await eventually {
                        try await cluster.admin.items(Self.pods).filter { $0[path: ["status", "phase"]]?.stringValue == "Running" }.count == 2
                    })

                    nodes.silence("hollow-0")
                    #expect(try await eventually {
                        let node = try await cluster.admin.json("/api/v1/nodes/hollow-0")
                        let ready = NodeHealth.readyCondition(of: node)?["status"]?.stringValue
                        let taints = node[path: ["spec", "taints"]]?.arrayValue ?? []
                        return ready == "Unknown" && taints.contains { $0["key"]?.stringValue == NodeHealth.unreachable }
                    })
                    // Deleted (the hollow node, still running its pods, completes the deletion).
                    #expect(try await eventually {
                        let response = try await cluster.admin.request("GET", "\(Self.pods)/impatient", json: nil)
                        return response.status == 404 || response.json?.deletionTimestamp != nil
                    })
                    #expect(try await cluster.admin.json("\(Self.pods)/plain").deletionTimestamp == nil, "tolerated for five minutes")
                    let events = try await cluster.admin.items("/api/v1/namespaces/default/events")
                    #expect(events.contains { $0["reason"]?.stringValue == "TaintManagerEviction" && $0[path: ["involvedObject", "name"]]?.stringValue == "impatient" })

                    // The node that still beats is left alone.
                    let healthy = try await cluster.admin.json("/api/v1/nodes/hollow-1")
                    #expect(NodeHealth.readyCondition(of: healthy)?["status"]?.stringValue == "True")
                    #expect((healthy[path: ["spec", "taints"]]?.arrayValue ?? []).isEmpty)
                }
            }
        }
    }
}
