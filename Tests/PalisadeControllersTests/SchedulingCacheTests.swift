import PalisadeAPI
import Testing

@testable import PalisadeControllers

/// Placement decisions without a server: filters in Kubernetes' words, and scores.
@Suite struct SchedulingCacheTests {
    static func node(
        _ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int = 110, labels: [String: String] = [:],
        taints: [JSONValue] = [], ready: Bool = true, unschedulable: Bool = false
    ) -> JSONValue {
        var allLabels = labels
        allLabels["kubernetes.io/hostname"] = name
        let capacity: JSONValue = ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(pods))]
        return [
            "metadata": ["name": .string(name), "labels": .object(allLabels.mapValues(JSONValue.string))],
            "spec": ["taints": .array(taints), "unschedulable": .bool(unschedulable)],
            "status": ["allocatable": capacity, "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False")]]],
        ]
    }

    static func pod(
        _ name: String, cpu: String? = nil, memory: String? = nil, labels: [String: String] = [:], spec: [String: JSONValue] = [:],
        owner: String? = nil, hostPort: Int64? = nil
    ) -> JSONValue {
        var requests: [String: JSONValue] = [:]
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var container: JSONValue = ["name": "app", "image": "busybox", "resources": ["requests": .object(requests)]]
        if let hostPort { container["ports"] = [["containerPort": 80, "hostPort": .int(hostPort)]] }
        var fullSpec = spec
        fullSpec["containers"] = [container]
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "labels": .object(labels.mapValues(JSONValue.string))]
        if let owner { metadata["ownerReferences"] = [["kind": "ReplicaSet", "name": "rs", "uid": .string(owner), "controller": true]] }
        return ["metadata": metadata, "spec": .object(fullSpec)]
    }

    private func cache(_ nodes: [JSONValue]) -> SchedulingCache {
        let cache = SchedulingCache()
        for node in nodes { cache.setNode(node) }
        return cache
    }

    /// Places `pod` where the cache decides and returns the node.
    @discardableResult
    private func place(_ pod: JSONValue, _ cache: SchedulingCache) -> String? {
        let placement = PodPlacement(pod)
        guard case .node(let node) = cache.decide(placement) else { return nil }
        cache.place(placement, on: node)
        return node
    }

    @Test func insufficientResourcesAndTaintsAreSummarizedPerNode() {
        let cache = cache([
            Self.node("a", cpu: "1"), Self.node("b", cpu: "1"),
            Self.node("c", cpu: "16", taints: [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]]),
        ])
        let decision = cache.decide(PodPlacement(Self.pod("big", cpu: "2")))
        #expect(decision == .unschedulable("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu."))
        let tolerating = Self.pod("gpu", cpu: "2", spec: ["tolerations": [["key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"]]])
        #expect(cache.decide(PodPlacement(tolerating)) == .node("c"))
    }

    @Test func requestsAddUpOnANode() {
        let cache = cache([Self.node("a", cpu: "2", memory: "1Gi")])
        #expect(place(Self.pod("one", cpu: "1500m", memory: "512Mi"), cache) == "a")
        #expect(cache.decide(PodPlacement(Self.pod("two", cpu: "600m"))) == .unschedulable("0/1 nodes are available: 1 Insufficient cpu."))
        #expect(cache.decide(PodPlacement(Self.pod("three", cpu: "600m", memory: "600Mi")))
            == .unschedulable("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory."))
        cache.remove("default/one")
        #expect(cache.decide(PodPlacement(Self.pod("two", cpu: "600m"))) == .node("a"))
    }

    @Test func nodeSelectorAffinityReadinessAndCordons() {
        let cache = cache([
            Self.node("ssd", labels: ["disk": "ssd", "zone": "z1"]), Self.node("hdd", labels: ["disk": "hdd", "zone": "z2"]),
            Self.node("down", labels: ["disk": "ssd"], ready: false), Self.node("cordoned", labels: ["disk": "ssd"], unschedulable: true),
        ])
        #expect(cache.decide(PodPlacement(Self.pod("p", spec: ["nodeSelector": ["disk": "ssd"]]))) == .node("ssd"))
        let affinity: JSONValue = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "zone", "operator": "In", "values": ["z2", "z3"]]]],
        ]]]]
        #expect(cache.decide(PodPlacement(Self.pod("q", spec: ["affinity": affinity]))) == .node("hdd"))
        #expect(cache.decide(PodPlacement(Self.pod("r", spec: ["nodeSelector": ["disk": "nvme"]])))
            == .unschedulable("0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector."))
    }

    @Test func requiredAntiAffinityOnHostnameAndHostPorts() {
        let cache = cache([Self.node("a"), Self.node("b")])
        let antiAffinity: JSONValue = ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["app": "db"]], "topologyKey": "kubernetes.io/hostname"],
        ]]]
        let first = place(Self.pod("db-0", labels: ["app": "db"], spec: ["affinity": antiAffinity]), cache)
        let second = place(Self.pod("db-1", labels: ["app": "db"], spec: ["affinity": antiAffinity]), cache)
        #expect(first != nil && second != nil && first != second)
        #expect(cache.decide(PodPlacement(Self.pod("db-2", labels: ["app": "db"], spec: ["affinity": antiAffinity])))
            == .unschedulable("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules."))
        // The placed pods' terms keep a matching newcomer away even if it has none itself.
        #expect(cache.decide(PodPlacement(Self.pod("db-3", labels: ["app": "db"]))) == .unschedulable("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules."))

        let ports = self.cache([Self.node("a")])
        #expect(place(Self.pod("web-0", hostPort: 8080), ports) == "a")
        #expect(ports.decide(PodPlacement(Self.pod("web-1", hostPort: 8080))) == .unschedulable("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports."))
        #expect(ports.decide(PodPlacement(Self.pod("web-2", hostPort: 8081))) == .node("a"))
    }

    @Test func replicasOfOneOwnerSpreadAndLoadBalances() {
        let cache = cache((0..<3).map { Self.node("n\($0)") })
        let nodes = (0..<6).compactMap { place(Self.pod("web-\($0)", cpu: "100m", owner: "rs-1"), cache) }
        #expect(Dictionary(grouping: nodes, by: { $0 }).values.map(\.count).sorted() == [2, 2, 2])
        // A heavily loaded node is avoided.
        let loaded = self.cache([Self.node("busy"), Self.node("idle")])
        loaded.place(PodPlacement(Self.pod("hog", cpu: "3", memory: "6Gi")), on: "busy")
        #expect(place(Self.pod("new", cpu: "100m"), loaded) == "idle")
    }

    @Test func largeClustersAreSampledAsKubernetesDoes() {
        #expect(SchedulingCache.feasibleNodesToFind(50) == 50)
        #expect(SchedulingCache.feasibleNodesToFind(1000) == 420)
        #expect(SchedulingCache.feasibleNodesToFind(5000) == 500)
        #expect(SchedulingCache.feasibleNodesToFind(200) == 100)
    }
}
