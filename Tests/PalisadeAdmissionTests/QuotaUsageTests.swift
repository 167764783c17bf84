import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("Quota usage")
struct QuotaUsageTests {
    let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
        "spec": [
            "initContainers": [["name": "init", "image": "i", "resources": ["requests": ["cpu": "2"]]]],
            "containers": [
                ["name": "a", "image": "a", "resources": ["requests": ["cpu": "500m", "memory": "1Gi"], "limits": ["memory": "2Gi"]]],
                ["name": "b", "image": "b", "resources": ["requests": ["cpu": "250m"]]],
            ],
        ],
    ]

    @Test func podsCountTheirComputeAndThemselves() {
        let usage = QuotaUsage.usage(of: pod, group: "", resource: "pods").mapValues(\.description)
        #expect(usage == [
            "count/pods": "1", "pods": "1", "requests.cpu": "2", "cpu": "2", "requests.memory": "1Gi", "memory": "1Gi",
        ])
        var finished = pod
        finished["status"] = ["phase": "Succeeded"]
        #expect(QuotaUsage.usage(of: finished, group: "", resource: "pods").isEmpty)
    }

    @Test func otherKindsCountUnderTheirGroup() {
        #expect(QuotaUsage.usage(of: ["kind": "Deployment"], group: "apps", resource: "deployments").mapValues(\.description) == ["count/deployments.apps": "1"])
        #expect(QuotaUsage.source(of: "count/deployments.apps") == .init(group: "apps", resource: "deployments"))
        #expect(QuotaUsage.source(of: "limits.memory") == .init(group: "", resource: "pods"))
        #expect(QuotaUsage.source(of: "secrets") == .init(group: "", resource: "secrets"))
    }

    @Test func unspecifiedComputeIsNamedPerContainer() {
        #expect(QuotaUsage.unspecified(pod: pod, hard: ["limits.memory", "cpu", "pods"]) == "limits.memory for: init, b")
        #expect(QuotaUsage.unspecified(pod: pod, hard: ["pods"]) == nil)
    }

    @Test func exceededKeysAreThoseThatPassTheirLimit() throws {
        let hard = Quantity.list(["pods": "2", "requests.cpu": "1"])
        let used = Quantity.list(["pods": "1", "requests.cpu": "900m"])
        #expect(QuotaUsage.exceeded(hard: hard, used: used, delta: Quantity.list(["pods": "1", "requests.cpu": "100m"])).isEmpty)
        #expect(QuotaUsage.exceeded(hard: hard, used: used, delta: Quantity.list(["pods": "1", "requests.cpu": "200m"])) == ["requests.cpu"])
    }
}
