import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// The release strategies users build from Deployments and a Service: blue-green (the
/// Service's selector switches from one Deployment to the other) and canary (two
/// Deployments behind one Service, traffic in the ratio of their replicas). Rolling
/// updates are in ``DeploymentControllerTests``.
@Suite struct ReleaseStrategyTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let services = "/api/v1/namespaces/default/services"
    static let pods = "/api/v1/namespaces/default/pods"

    static func deployment(_ name: String, replicas: Int64, labels: [String: String]) -> JSONValue {
        let labelValue = JSONValue.object(labels.mapValues(JSONValue.string))
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": labelValue],
                "template": [
                    "metadata": ["labels": labelValue],
                    "spec": ["containers": [["name": "app", "image": .string("web:\(labels["version"] ?? labels["track"] ?? "1")"), "ports": [["containerPort": 8080]]]]],
                ],
            ],
        ]
    }

    static func service(selector: [String: String]) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
            "spec": ["selector": .object(selector.mapValues(JSONValue.string)), "ports": [["port": 80, "targetPort": 8080]]],
        ]
    }

    /// The ready addresses the Service's EndpointSlices list.
    static func readyAddresses(_ cluster: TestCluster) async throws -> Set<String> {
        let slices = try await cluster.admin.items("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb")
        return Set(slices.flatMap { $0["endpoints"]?.arrayValue ?? [] }.filter { $0[path: ["conditions", "ready"]] == true }.compactMap {
            $0["addresses"]?.arrayValue?.first?.stringValue
        })
    }

    /// The IPs of the running pods with `labels`.
    static func podIPs(_ cluster: TestCluster, _ labels: [String: String]) async throws -> Set<String> {
        let selector = labels.keys.sorted().map { "\($0)%3D\(labels[$0]!)" }.joined(separator: ",")
        return Set(try await cluster.admin.items("\(pods)?labelSelector=\(selector)").filter { $0.deletionTimestamp == nil }.compactMap {
            $0[path: ["status", "podIP"]]?.stringValue
        })
    }

    @Test func blueGreenSwitchesTheServiceFromOneDeploymentToTheOther() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    let blue = ["app": "web", "version": "blue"]
                    let green = ["app": "web", "version": "green"]
                    try await cluster.admin.create(Self.deployments, Self.deployment("web-blue", replicas: 2, labels: blue))
                    try await cluster.admin.create(Self.deployments, Self.deployment("web-green", replicas: 2, labels: green))
                    try await cluster.admin.create(Self.services, Self.service(selector: blue))
                    #expect(try await eventually {
                        let ips = try await Self.podIPs(cluster, blue)
                        let ready = try await Self.readyAddresses(cluster)
                        return ips.count == 2 && ready == ips
                    })

                    // Green is up beside blue; switching the selector moves all traffic at once.
                    #expect(try await eventually { try await Self.podIPs(cluster, green).count == 2 })
                    _ = try await cluster.admin.request(
                        "PATCH", "\(Self.services)/web", body: JSONSerializer.bytes(["spec": ["selector": ["version": "green"]]]),
                        contentType: "application/merge-patch+json"
                    )
                    let greenIPs = try await Self.podIPs(cluster, green)
                    #expect(try await eventually { try await Self.readyAddresses(cluster) == greenIPs })
                    let blueIPs = try await Self.podIPs(cluster, blue)
                    #expect(try await Self.readyAddresses(cluster).isDisjoint(with: blueIPs))
                }
            }
        }
    }

    @Test func aCanaryGetsItsShareOfTheEndpoints() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    let stable = ["app": "web", "track": "stable"]
                    let canary = ["app": "web", "track": "canary"]
                    try await cluster.admin.create(Self.deployments, Self.deployment("web-stable", replicas: 9, labels: stable))
                    try await cluster.admin.create(Self.deployments, Self.deployment("web-canary", replicas: 1, labels: canary))
                    try await cluster.admin.create(Self.services, Self.service(selector: ["app": "web"]))
                    #expect(try await eventually { try await Self.readyAddresses(cluster).count == 10 })
                    let addresses = try await Self.readyAddresses(cluster)
                    let canaryIPs = try await Self.podIPs(cluster, canary)
                    let stableIPs = try await Self.podIPs(cluster, stable)
                    #expect(addresses.intersection(canaryIPs).count == 1, "one endpoint in ten is the canary")
                    #expect(addresses.intersection(stableIPs).count == 9)

                    // Promoting: the canary takes a larger share by its replica count.
                    _ = try await cluster.admin.request(
                        "PATCH", "\(Self.deployments)/web-canary/scale", body: JSONSerializer.bytes(["spec": ["replicas": 3]]),
                        contentType: "application/merge-patch+json"
                    )
                    #expect(try await eventually {
                        let now = try await Self.readyAddresses(cluster)
                        let canaryIPs = try await Self.podIPs(cluster, canary)
                        return now.count == 12 && now.intersection(canaryIPs).count == 3
                    })
                }
            }
        }
    }
}
