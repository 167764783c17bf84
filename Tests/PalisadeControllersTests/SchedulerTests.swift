import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// The scheduler on a real server with hollow nodes: pods bound through `pods/binding`,
/// taints respected, and an unschedulable pod told why, then placed once a node fits.
@Suite struct SchedulerTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let gpuTaint: JSONValue = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]

    @Test func podsLandOnUntaintedNodesAndAnUnschedulablePodIsToldWhy() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(3, cpu: "2", taints: ["hollow-2": [Self.gpuTaint]]) { _ in
                try await cluster.withControllers {
                    for index in 0..<4 { try await cluster.admin.create(Self.pods, Workloads.pod("web-\(index)")) }
                    let bound = try await eventually {
                        try await cluster.admin.items(Self.pods).allSatisfy { ($0[path: ["spec", "nodeName"]]?.stringValue ?? "") != "" }
                    }
                    #expect(bound)
                    let nodes = try await cluster.admin.items(Self.pods).compactMap { $0[path: ["spec", "nodeName"]]?.stringValue }
                    #expect(nodes.count == 4 && !nodes.contains("hollow-2"), "the tainted node got a pod: \(nodes)")
                    let web0 = try await cluster.admin.json("\(Self.pods)/web-0")
                    #expect(web0[path: ["status", "conditions"]]?.arrayValue?.contains { $0["type"]?.stringValue == "PodScheduled" && $0["status"]?.stringValue == "True" } == true)

                    try await cluster.admin.create(Self.pods, Workloads.pod("huge", cpu: "3"))
                    let expected = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu."
                    let told = try await eventually {
                        try await cluster.admin.items("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=huge")
                            .contains { $0["reason"]?.stringValue == "FailedScheduling" && $0["message"]?.stringValue == expected }
                    }
                    #expect(told, "no FailedScheduling event with: \(expected)")
                    // The condition is written just after the event.
                    #expect(try await eventually {
                        let huge = try await cluster.admin.json("\(Self.pods)/huge")
                        let condition = huge[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == "PodScheduled" }
                        return condition?["reason"]?.stringValue == "Unschedulable"
                    })

                    // A node with room appears: the waiting pod is placed there.
                    let big = HollowNodes(client: cluster.admin, count: 1, prefix: "big-", cpu: "8")
                    try await big.register()
                    let placed = try await eventually {
                        try await cluster.admin.json("\(Self.pods)/huge")[path: ["spec", "nodeName"]]?.stringValue == "big-0"
                    }
                    #expect(placed)
                }
            }
        }
    }

    @Test func bindingsAreMadeAndAuditedAsTheScheduler() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers {
                    try await cluster.admin.create(Self.pods, Workloads.pod("audited"))
                    #expect(try await eventually {
                        try await cluster.admin.json("\(Self.pods)/audited")[path: ["spec", "nodeName"]]?.stringValue == "hollow-0"
                    })
                }
            }
            let events = try String(contentsOfFile: cluster.auditLogPath, encoding: .utf8).split(separator: "\n")
            let binding = events.first { $0.contains("\"subresource\":\"binding\"") && $0.contains("\"stage\":\"ResponseComplete\"") }
            #expect(binding?.contains("\"username\":\"system:kube-scheduler\"") == true)
        }
    }
}
