import Foundation
import PalisadeAPI
import PalisadeClient
@testable import PalisadeControllers
import PalisadeTesting
import Testing

/// Endpoints and EndpointSlices follow the ready pods a Service selects.
@Suite struct EndpointsControllerTests {
    static let services = "/api/v1/namespaces/default/services"
    static let endpoints = "/api/v1/namespaces/default/endpoints"
    static let slices = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"

    static func service(_ name: String, app: String, targetPort: JSONValue = "http") -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": "default", "labels": ["tier": "front"]],
            "spec": ["selector": ["app": .string(app)], "ports": [["port": 80, "targetPort": targetPort]]],
        ]
    }

    static func pod(_ name: String, ip: String, ready: Bool, labels: [String: String] = ["app": "web"], port: JSONValue? = ["name": "http", "containerPort": 8080]) -> JSONValue {
        [
            "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"), "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": ["nodeName": "n1", "containers": [["name": "app", "ports": port.map { [$0] } ?? []]]],
            "status": [
                "phase": "Running", "podIP": .string(ip),
                "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False")]],
            ],
        ]
    }

    @Test func backendsResolveNamedPortsAndSkipWhatCannotServe() {
        let service = Self.service("web", app: "web")
        var terminating = Self.pod("c", ip: "10.0.0.3", ready: true)
        terminating[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z"
        var finished = Self.pod("d", ip: "10.0.0.4", ready: false)
        finished[path: ["status", "phase"]] = "Succeeded"
        let pods = [
            Self.pod("b", ip: "10.0.0.2", ready: false), Self.pod("a", ip: "10.0.0.1", ready: true), terminating, finished,
            Self.pod("other", ip: "10.0.0.9", ready: true, labels: ["app": "db"]), Self.pod("noport", ip: "10.0.0.5", ready: true, port: nil),
        ]
        let backends = ServiceBackend.of(service, pods: pods)
        #expect(backends.map(\.ip) == ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.5"])
        #expect(backends.map(\.ready) == [true, false, false, true])
        #expect(backends[2].serving && backends[2].terminating)
        #expect(backends[0].ports.map(\.port) == [8080])
        #expect(backends[3].ports.isEmpty, "a pod without the named port does not serve it")

        let subsets = EndpointsController.subsets(backends)
        #expect(subsets.arrayValue?.count == 2, "one subset per set of ports")
        let served = subsets.arrayValue?.first { $0["ports"]?.arrayValue?.isEmpty == false }
        #expect(served?["addresses"]?.arrayValue?.map { $0["ip"]?.stringValue } == ["10.0.0.1"])
        #expect(served?["notReadyAddresses"]?.arrayValue?.map { $0["ip"]?.stringValue } == ["10.0.0.2"], "terminating pods are left out")
    }

    @Test func slicesHoldAtMostAHundredEndpoints() {
        let service = Self.service("web", app: "web", targetPort: 8080)
        let pods = (0..<250).map { Self.pod("p\($0)", ip: "10.1.\($0 / 250).\($0 % 250)", ready: true) }
        let slices = EndpointSliceController.slices(for: service, backends: ServiceBackend.of(service, pods: pods))
        #expect(slices.map { $0["endpoints"]?.arrayValue?.count } == [100, 100, 50])
        #expect(slices.allSatisfy { $0[path: ["metadata", "labels", "kubernetes.io/service-name"]] == "web" })
        #expect(EndpointSliceController.slices(for: service, backends: []).map { $0["endpoints"] } == [[]], "a Service without backends has one empty slice")
    }

    @Test func endpointsFollowReadyPodsAndGoWithTheService() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withHollowNodes(2) { _ in
                try await cluster.withControllers {
                    var replicaSet = Workloads.replicaSet("web", replicas: 3, app: "web")
                    replicaSet[path: ["spec", "template", "spec", "containers"]] = [["name": "app", "image": "busybox", "ports": [["name": "http", "containerPort": 8080]]]]
                    try await cluster.admin.create("/apis/apps/v1/namespaces/default/replicasets", replicaSet)
                    try await cluster.admin.create(Self.services, Self.service("web", app: "web"))

                    #expect(try await eventually {
                        let subsets = (try? await cluster.admin.json("\(Self.endpoints)/web"))?["subsets"]?.arrayValue ?? []
                        return subsets.first?["addresses"]?.arrayValue?.count == 3 && subsets.first?["ports"]?.arrayValue?.first?["port"] == 8080
                    })
                    #expect(try await eventually {
                        let slices = try await cluster.admin.items("\(Self.slices)?labelSelector=kubernetes.io%2Fservice-name%3Dweb")
                        let endpoints = slices.flatMap { $0["endpoints"]?.arrayValue ?? [] }
                        return slices.count == 1 && endpoints.count == 3 && endpoints.allSatisfy { $0[path: ["conditions", "ready"]] == true }
                    })
                    let slice = try #require(try await cluster.admin.items(Self.slices).first)
                    #expect(slice[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["kind"] == "Service")
                    #expect(slice["ports"] == [["name": "", "port": 8080, "protocol": "TCP"]])

                    // A pod that stops being ready moves to notReadyAddresses and its endpoint says so.
                    let pod = try #require(try await cluster.admin.items("/api/v1/namespaces/default/pods").first)
                    var conditions = pod[path: ["status", "conditions"]]?.arrayValue ?? []
                    for index in conditions.indices where conditions[index]["type"] == "Ready" { conditions[index]["status"] = "False" }
                    _ = try await cluster.admin.request(
                        "PATCH", "/api/v1/namespaces/default/pods/\(pod.name ?? "")/status",
                        body: JSONSerializer.bytes(["status": ["conditions": .array(conditions)]]), contentType: "application/merge-patch+json"
                    )
                    let ip = try #require(pod[path: ["status", "podIP"]]?.stringValue)
                    #expect(try await eventually {
                        let subsets = (try? await cluster.admin.json("\(Self.endpoints)/web"))?["subsets"]?.arrayValue ?? []
                        return subsets.first?["notReadyAddresses"]?.arrayValue?.map { $0["ip"]?.stringValue } == [ip]
                    })
                    #expect(try await eventually {
                        let endpoints = try await cluster.admin.items(Self.slices).flatMap { $0["endpoints"]?.arrayValue ?? [] }
                        return endpoints.first { $0["addresses"] == [.string(ip)] }?[path: ["conditions", "ready"]] == false
                    })

                    _ = try await cluster.admin.request("DELETE", "\(Self.services)/web", json: nil)
                    #expect(try await eventually { try await cluster.admin.request("GET", "\(Self.endpoints)/web", json: nil).status == 404 })
                    let gone = try await eventually { try await cluster.admin.items(Self.slices).isEmpty }
                    let left = try await cluster.admin.items(Self.slices)
                    #expect(gone, "\(left)")
                }
            }
        }
    }
}
