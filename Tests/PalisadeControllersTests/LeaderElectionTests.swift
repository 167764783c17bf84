import Foundation
import Logging
import PalisadeAPI
import PalisadeAuth
import PalisadeClient
import PalisadeTesting
import Testing

@testable import PalisadeControllers

/// Leadership through a Lease on a real server: one holder at a time, a successor once
/// the holder lets go or stops renewing.
@Suite struct LeaderElectionTests {
    private func election(_ cluster: TestCluster, _ identity: String) throws -> LeaderElection {
        let client = try ControllerIdentity.scheduler.client(authority: cluster.pki.authority, server: cluster.server)
        return LeaderElection(
            client: client, name: "kube-scheduler", identity: identity, leaseDuration: .seconds(10),
            renewInterval: .milliseconds(200), logger: Logger(label: "test")
        )
    }

    @Test func oneHolderAtATimeAndTheNextTakesOverAfterExpiry() async throws {
        try await TestCluster.with { cluster in
            let first = try election(cluster, "first")
            let second = try election(cluster, "second")
            // Times are given, so the test does not depend on how fast this machine is.
            let start = Date()
            #expect(try await first.acquireOrRenew(now: start))
            #expect(try await !second.acquireOrRenew(now: start.addingTimeInterval(5)), "the lease is held and current")
            #expect(try await first.acquireOrRenew(now: start.addingTimeInterval(6)), "the holder renews")
            let lease = try await cluster.admin.request("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler", json: nil).requireJSON()
            #expect(lease[path: ["spec", "holderIdentity"]]?.stringValue == "first")
            // Without renewals the lease expires after its duration and changes hands.
            #expect(try await !second.acquireOrRenew(now: start.addingTimeInterval(15)))
            #expect(try await second.acquireOrRenew(now: start.addingTimeInterval(17)))
            let taken = try await cluster.admin.request("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler", json: nil).requireJSON()
            #expect(taken[path: ["spec", "holderIdentity"]]?.stringValue == "second")
            #expect(taken[path: ["spec", "leaseTransitions"]]?.intValue == 1)
            try await first.client.http.shutdown()
            try await second.client.http.shutdown()
        }
    }

    @Test func onlyTheLeaderRunsAndAReleasedLeaseIsTakenAtOnce() async throws {
        try await TestCluster.with { cluster in
            let running = Counter()
            let first = try election(cluster, "first")
            let second = try election(cluster, "second")
            let firstTask = Task { await first.run { await running.lead("first") } }
            #expect(try await eventually { await running.leaders == ["first"] })
            let secondTask = Task { await second.run { await running.lead("second") } }
            try await Task.sleep(for: .milliseconds(600))
            #expect(await running.leaders == ["first"], "the second candidate waits")
            firstTask.cancel()
            _ = await firstTask.value
            #expect(try await eventually(within: .seconds(3)) { await running.leaders == ["second"] })
            secondTask.cancel()
            _ = await secondTask.value
            try await first.client.http.shutdown()
            try await second.client.http.shutdown()
        }
    }
}

/// Who is leading now.
actor Counter {
    private(set) var leaders: [String] = []

    func lead(_ name: String) async {
        leaders.append(name)
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
        leaders.removeAll { $0 == name }
    }
}
