import Foundation
import PalisadeAPI
import PalisadeClient
@testable import PalisadeControllers
import PalisadeTesting
import Synchronization
import Testing

/// The Job controller on a real server with hollow nodes, whose pods exit with the code
/// their `hollow.palisade.dev/exit-code` annotation gives (none: they run for ever).
@Suite struct JobControllerTests {
    static let jobs = "/apis/batch/v1/namespaces/default/jobs"
    static let pods = "/api/v1/namespaces/default/pods"

    /// Controllers whose Jobs wait only briefly before replacing a failed pod.
    static var controllers: ControllerManager.Configuration {
        var configuration = TestCluster.testControllers
        configuration.jobBackoff = .milliseconds(50)
        return configuration
    }

    static func job(
        _ name: String, completions: Int64 = 1, parallelism: Int64 = 1, exitCode: Int? = 0, restartPolicy: String = "Never",
        backoffLimit: Int64 = 6, suspend: Bool = false, indexed: Bool = false, deadline: Int64? = nil
    ) -> JSONValue {
        var job: JSONValue = [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string(name)],
            "spec": [
                "completions": .int(completions), "parallelism": .int(parallelism), "backoffLimit": .int(backoffLimit), "suspend": .bool(suspend),
                "completionMode": indexed ? "Indexed" : "NonIndexed",
                "template": [
                    "spec": [
                        "restartPolicy": .string(restartPolicy),
                        "containers": [["name": "work", "image": "busybox", "resources": ["requests": ["cpu": "50m"]]]],
                    ],
                ],
            ],
        ]
        if let exitCode { job[path: ["spec", "template", "metadata", "annotations", HollowNodes.exitCodeAnnotation]] = .string(String(exitCode)) }
        if let deadline { job[path: ["spec", "activeDeadlineSeconds"]] = .int(deadline) }
        return job
    }

    static func jobPods(_ cluster: TestCluster, _ name: String) async throws -> [JSONValue] {
        try await cluster.admin.items("\(pods)?labelSelector=batch.kubernetes.io%2Fjob-name%3D\(name)")
    }

    static func status(_ cluster: TestCluster, _ name: String) async throws -> JSONValue {
        try await cluster.admin.json("\(jobs)/\(name)")["status"] ?? .emptyObject
    }

    static func condition(_ status: JSONValue, _ type: String) -> JSONValue? {
        status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// What `kubectl wait --for=condition=<type>` waits for.
    static func isTrue(_ status: JSONValue, _ type: String) -> Bool {
        condition(status, type)?["status"]?.stringValue == "True"
    }

    static func phase(_ pod: JSONValue) -> String { pod[path: ["status", "phase"]]?.stringValue ?? "" }

    static func patch(_ cluster: TestCluster, _ name: String, _ body: JSONValue) async throws {
        _ = try await cluster.admin.request("PATCH", "\(jobs)/\(name)", body: JSONSerializer.bytes(body), contentType: "application/merge-patch+json").requireJSON()
    }

    @Test func completionsRunAtMostParallelismAtOnceAndComplete() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers(Self.controllers) {
                    try await cluster.admin.create(Self.jobs, Self.job("batch", completions: 3, parallelism: 2))
                    let mostActive = Mutex(0)
                    let completed = try await eventually(within: .seconds(30)) {
                        let active = try await Self.jobPods(cluster, "batch").filter(PodState.isActive).count
                        mostActive.withLock { $0 = max($0, active) }
                        return Self.isTrue(try await Self.status(cluster, "batch"), "Complete")
                    }
                    #expect(completed)
                    #expect(mostActive.withLock { $0 } <= 2, "more pods than parallelism were active")
                    let status = try await Self.status(cluster, "batch")
                    #expect(status["succeeded"]?.intValue == 3 && status["active"] == nil && status["failed"] == nil)
                    #expect(Self.isTrue(status, "SuccessCriteriaMet") && Self.condition(status, "Complete")?["reason"]?.stringValue == "CompletionsReached")
                    #expect(status["completionTime"]?.stringValue != nil && status["startTime"]?.stringValue != nil)
                    // The finished pods stay for their logs.
                    let pods = try await Self.jobPods(cluster, "batch")
                    #expect(pods.count == 3 && pods.allSatisfy { Self.phase($0) == "Succeeded" && $0.name?.hasPrefix("batch-") == true })
                    #expect(pods.allSatisfy { OwnerReference.controller(of: $0)?["kind"]?.stringValue == "Job" })
                }
            }
        }
    }

    @Test func failuresBeyondTheBackoffLimitFailTheJob() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers(Self.controllers) {
                    try await cluster.admin.create(Self.jobs, Self.job("flaky", exitCode: 1, backoffLimit: 2))
                    #expect(try await eventually(within: .seconds(30)) { Self.isTrue(try await Self.status(cluster, "flaky"), "Failed") })
                    let status = try await Self.status(cluster, "flaky")
                    #expect(Self.condition(status, "Failed")?["reason"]?.stringValue == "BackoffLimitExceeded")
                    #expect(Self.condition(status, "FailureTarget")?["reason"]?.stringValue == "BackoffLimitExceeded")
                    #expect(status["failed"]?.intValue == 3, "backoffLimit + 1 failures")
                    #expect(status["completionTime"] == nil && status["succeeded"] == nil)
                    let pods = try await Self.jobPods(cluster, "flaky")
                    #expect(pods.count == 3 && pods.allSatisfy { Self.phase($0) == "Failed" })
                }
            }
        }
    }

    @Test func containerRestartsCountAgainstTheBackoffLimitOnFailure() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers(Self.controllers) {
                    try await cluster.admin.create(Self.jobs, Self.job("crashy", exitCode: 1, restartPolicy: "OnFailure", backoffLimit: 3))
                    #expect(try await eventually(within: .seconds(30)) { Self.isTrue(try await Self.status(cluster, "crashy"), "Failed") })
                    #expect(Self.condition(try await Self.status(cluster, "crashy"), "Failed")?["reason"]?.stringValue == "BackoffLimitExceeded")
                    // The restarting pod was stopped.
                    #expect(try await eventually { try await Self.jobPods(cluster, "crashy").isEmpty })
                }
            }
        }
    }

    @Test func aSuspendedJobKeepsNoPodsUntilResumed() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers(Self.controllers) {
                    try await cluster.admin.create(Self.jobs, Self.job("later", completions: 2, parallelism: 2, exitCode: nil, suspend: true))
                    #expect(try await eventually { Self.isTrue(try await Self.status(cluster, "later"), "Suspended") })
                    #expect(try await Self.jobPods(cluster, "later").isEmpty)
                    #expect(try await Self.status(cluster, "later")["startTime"] == nil)

                    try await Self.patch(cluster, "later", ["spec": ["suspend": false]])
                    #expect(try await eventually {
                        try await Self.jobPods(cluster, "later").filter { Self.phase($0) == "Running" && $0.deletionTimestamp == nil }.count == 2
                    })
                    #expect(try await eventually {
                        let status = try await Self.status(cluster, "later")
                        return status["active"]?.intValue == 2 && status["ready"]?.intValue == 2 && status["startTime"] != nil
                            && Self.condition(status, "Suspended")?["reason"]?.stringValue == "JobResumed"
                    })

                    // Suspended again: the running pods are deleted.
                    try await Self.patch(cluster, "later", ["spec": ["suspend": true]])
                    #expect(try await eventually { try await Self.jobPods(cluster, "later").isEmpty })
                    #expect(try await eventually {
                        let status = try await Self.status(cluster, "later")
                        return Self.isTrue(status, "Suspended") && status["active"] == nil
                    })
                }
            }
        }
    }

    @Test func anIndexedJobCompletesEveryIndex() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers(Self.controllers) {
                    try await cluster.admin.create(Self.jobs, Self.job("shards", completions: 3, parallelism: 3, indexed: true))
                    #expect(try await eventually(within: .seconds(30)) { Self.isTrue(try await Self.status(cluster, "shards"), "Complete") })
                    let status = try await Self.status(cluster, "shards")
                    #expect(status["completedIndexes"]?.stringValue == "0-2" && status["succeeded"]?.intValue == 3)
                    let pods = try await Self.jobPods(cluster, "shards")
                    let indexes = pods.compactMap { $0[path: ["metadata", "annotations", JobPods.indexKey]]?.stringValue }.sorted()
                    #expect(indexes == ["0", "1", "2"])
                    #expect(pods.allSatisfy { pod in
                        let index = pod.labels[JobPods.indexKey] ?? "?"
                        return pod[path: ["spec", "hostname"]]?.stringValue == "shards-\(index)" && pod.name?.hasPrefix("shards-\(index)-") == true
                    })
                }
            }
        }
    }

    @Test func theActiveDeadlineFailsTheJob() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(1) { _ in
                try await cluster.withControllers(Self.controllers) {
                    try await cluster.admin.create(Self.jobs, Self.job("slow", exitCode: nil, deadline: 1))
                    #expect(try await eventually { Self.isTrue(try await Self.status(cluster, "slow"), "Failed") })
                    #expect(Self.condition(try await Self.status(cluster, "slow"), "Failed")?["reason"]?.stringValue == "DeadlineExceeded")
                    #expect(try await eventually { try await Self.jobPods(cluster, "slow").isEmpty })
                }
            }
        }
    }
}

/// The decisions of a Job pass, without a server.
@Suite struct JobPlanTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func pod(_ name: String, phase: String, index: Int? = nil, finished: Date? = nil, restarts: Int64 = 0) -> JSONValue {
        var pod: JSONValue = [
            "metadata": ["name": .string(name), "namespace": "default", "creationTimestamp": "2027-01-01T00:00:00Z"],
            "status": ["phase": .string(phase), "containerStatuses": [["name": "work", "restartCount": .int(restarts)]]],
        ]
        if let index { pod[path: ["metadata", "annotations", JobPods.indexKey]] = .string(String(index)) }
        if let finished {
            pod[path: ["status", "containerStatuses"]] = [["name": "work", "state": ["terminated": ["finishedAt": .string(Timestamp.format(finished))]]]]
        }
        return pod
    }

    static func job(completions: Int64 = 3, parallelism: Int64 = 2, backoffLimit: Int64 = 6, indexed: Bool = false, status: JSONValue = .emptyObject) -> JSONValue {
        [
            "metadata": ["name": "job", "namespace": "default"],
            "spec": [
                "completions": .int(completions), "parallelism": .int(parallelism), "backoffLimit": .int(backoffLimit),
                "completionMode": indexed ? "Indexed" : "NonIndexed", "template": ["spec": ["restartPolicy": "Never"]],
            ],
            "status": status,
        ]
    }

    @Test func activePodsAreTheSmallerOfParallelismAndWhatRemains() {
        let fresh = JobPlan(Self.job(), pods: [], now: Self.now, backoff: .seconds(10))
        #expect(fresh.create.count == 2 && fresh.status["startTime"] != nil)
        let nearlyDone = JobPlan(Self.job(), pods: [Self.pod("a", phase: "Succeeded"), Self.pod("b", phase: "Succeeded"), Self.pod("c", phase: "Running")],
                                 now: Self.now, backoff: .seconds(10))
        #expect(nearlyDone.create.isEmpty && nearlyDone.delete.isEmpty && nearlyDone.status["succeeded"] == 2)
        let done = JobPlan(Self.job(), pods: (0..<3).map { Self.pod("p\($0)", phase: "Succeeded") }, now: Self.now, backoff: .seconds(10))
        let types = (done.status["conditions"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        #expect(types == ["SuccessCriteriaMet", "Complete"] && done.status["completionTime"] != nil)
    }

    @Test func theBackoffLimitIsExceededByOneMoreFailure() {
        let two = (0..<2).map { Self.pod("f\($0)", phase: "Failed", finished: Self.now.addingTimeInterval(-100)) }
        let within = JobPlan(Self.job(backoffLimit: 2), pods: two, now: Self.now, backoff: .seconds(10))
        #expect(!JobConditions.isTrue(within.status["conditions"]?.arrayValue ?? [], "FailureTarget") && within.create.count == 2)
        let three = two + [Self.pod("f2", phase: "Failed")]
        let beyond = JobPlan(Self.job(backoffLimit: 2), pods: three + [Self.pod("running", phase: "Running")], now: Self.now, backoff: .seconds(10))
        let conditions = beyond.status["conditions"]?.arrayValue ?? []
        #expect(JobConditions.value(conditions, "FailureTarget") == JobConditions.backoffLimitExceeded)
        #expect(!JobConditions.isTrue(conditions, "Failed"), "not final while a pod is still running")
        #expect(beyond.delete.compactMap(\.name) == ["running"] && beyond.create.isEmpty)
    }

    @Test func replacementsWaitOutAnExponentialBackoff() {
        let failures = (0..<3).map { Self.pod("f\($0)", phase: "Failed", finished: Self.now.addingTimeInterval(-5)) }
        // Three consecutive failures: 10 s × 4 = 40 s from the last, 35 s left.
        let wait = JobPlan.backoffRemaining(succeeded: [], failed: failures, backoff: .seconds(10), now: Self.now)
        #expect(wait.map { $0 > .seconds(34) && $0 < .seconds(36) } == true)
        let plan = JobPlan(Self.job(completions: 1, parallelism: 1), pods: failures, now: Self.now, backoff: .seconds(10))
        #expect(plan.create.isEmpty && plan.recheck != nil)
        // A success since resets the count.
        let later = [Self.pod("ok", phase: "Succeeded", finished: Self.now.addingTimeInterval(-1))]
        #expect(JobPlan.backoffRemaining(succeeded: later, failed: failures, backoff: .seconds(10), now: Self.now) == nil)
    }

    @Test func indexedJobsStartMissingIndexesAndReportCompletedOnes() {
        let pods = [Self.pod("a", phase: "Succeeded", index: 0), Self.pod("b", phase: "Running", index: 2), Self.pod("c", phase: "Running", index: 2)]
        let plan = JobPlan(Self.job(completions: 5, parallelism: 3, indexed: true), pods: pods, now: Self.now, backoff: .seconds(10))
        #expect(plan.create == [1, 3] && plan.delete.compactMap(\.name) == ["c"])
        #expect(plan.status["completedIndexes"] == "0")
        #expect(JobPods.formatIndexes([0, 1, 2, 4, 6, 7]) == "0-2,4,6-7")
        #expect(JobPods.parseIndexes("0-2,4,6-7") == [0, 1, 2, 4, 6, 7])
    }

    @Test func aSuspendedJobDeletesItsActivePods() {
        var job = Self.job()
        job[path: ["spec", "suspend"]] = true
        let plan = JobPlan(job, pods: [Self.pod("a", phase: "Running"), Self.pod("b", phase: "Succeeded")], now: Self.now, backoff: .seconds(10))
        #expect(plan.delete.compactMap(\.name) == ["a"] && plan.create.isEmpty)
        #expect(JobConditions.value(plan.status["conditions"]?.arrayValue ?? [], "Suspended")?.reason == "JobSuspended")
    }
}
