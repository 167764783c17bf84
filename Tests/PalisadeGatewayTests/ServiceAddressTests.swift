import Foundation
import Logging
import PalisadeAPI
import PalisadeClient
import PalisadeStore
@testable import PalisadeGateway
import PalisadeTesting
import Testing

/// Cluster IPs and node ports: given from the configured ranges, never twice, checked when
/// asked for, and given back when a Service goes or its create is refused.
@Suite struct ServiceAddressTests {
    static func services(_ namespace: String = "default") -> String { "/api/v1/namespaces/\(namespace)/services" }

    static func service(_ name: String, type: String = "ClusterIP", clusterIP: String? = nil, nodePort: Int64? = nil) -> JSONValue {
        var port: JSONValue = ["port": 80]
        if let nodePort { port["nodePort"] = .int(nodePort) }
        var spec: JSONValue = ["type": .string(type), "selector": ["app": "web"], "ports": [port]]
        if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func theRangeParsesAndIndexesItsUsableAddresses() throws {
        let range = try #require(IPv4Range(cidr: "10.96.0.0/16"))
        #expect(range.usableCount == 65534)
        #expect(range.address(at: 0) == "10.96.0.1")
        #expect(range.index(of: "10.96.1.0") == 255)
        #expect(range.index(of: "10.96.0.0") == nil && range.index(of: "10.96.255.255") == nil && range.index(of: "10.97.0.1") == nil)
        #expect(IPv4Range(cidr: "10.96.0.0") == nil && IPv4Range(cidr: "10.96.0.300/16") == nil && IPv4Range(cidr: "10.96.0.01/16") == nil)
        #expect(throws: ServiceNetworkError.self) { try ServiceNetwork(clusterIPRange: "10.96.0.0/16", nodePortRange: "32767-30000") }
    }

    @Test func concurrentServicesGetDistinctAddressesInRange() async throws {
        try await TestCluster.with { cluster in
            let created = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for index in 0..<24 {
                    group.addTask { try await cluster.admin.create(Self.services(), Self.service("svc-\(index)", type: index % 2 == 0 ? "NodePort" : "ClusterIP")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let range = try #require(IPv4Range(cidr: "10.96.0.0/16"))
            let ips = created.compactMap { $0[path: ["spec", "clusterIP"]]?.stringValue }
            #expect(ips.count == 24 && Set(ips).count == 24)
            #expect(ips.allSatisfy { range.index(of: $0) != nil })
            #expect(created.allSatisfy { $0[path: ["spec", "clusterIPs"]] == [$0[path: ["spec", "clusterIP"]]!] })
            let nodePorts = created.flatMap { ($0[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue } }
            #expect(nodePorts.count == 12 && Set(nodePorts).count == 12)
            #expect(nodePorts.allSatisfy { (30000...32767).contains($0) })
            // What was stored is what the clients were told.
            let stored = try await cluster.admin.get("\(Self.services())/svc-0")
            #expect(stored[path: ["spec", "clusterIP"]] == created.first { $0.name == "svc-0" }?[path: ["spec", "clusterIP"]])
        }
    }

    @Test func requestedAddressesAreCheckedAndHeadlessServicesGetNone() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.services(), Self.service("fixed", type: "NodePort", clusterIP: "10.96.10.10", nodePort: 30080))
            try await cluster.expectNoWrites {
                let taken = try await cluster.admin.request("POST", Self.services(), json: Self.service("again", clusterIP: "10.96.10.10"))
                    .expectFailure(422, "Invalid")
                #expect(taken[path: ["details", "causes"]]?.arrayValue?.first?["field"]?.stringValue == "spec.clusterIP")
                #expect(taken["message"]?.stringValue?.contains("provided IP is already allocated") == true)
                let port = try await cluster.admin.request("POST", Self.services(), json: Self.service("port", type: "NodePort", nodePort: 30080))
                    .expectFailure(422, "Invalid")
                #expect(port[path: ["details", "causes"]]?.arrayValue?.first?["field"]?.stringValue == "spec.ports[0].nodePort")
                let outside = try await cluster.admin.request("POST", Self.services(), json: Self.service("outside", clusterIP: "192.168.0.1"))
                    .expectFailure(422, "Invalid")
                #expect(outside["message"]?.stringValue?.contains("The range of valid IPs is 10.96.0.0/16") == true)
                try await cluster.admin.request("POST", Self.services(), json: Self.service("low", type: "NodePort", nodePort: 80)).expectFailure(422, "Invalid")
            }
            let headless = try await cluster.admin.create(Self.services(), Self.service("headless", clusterIP: "None"))
            #expect(headless[path: ["spec", "clusterIP"]] == "None" && headless[path: ["spec", "clusterIPs"]] == ["None"])
            // The addresses are fixed for the Service's life; a replacement without them keeps them.
            var replaced = try await cluster.admin.get("\(Self.services())/fixed")
            replaced[path: ["spec", "clusterIP"]] = "10.96.10.11"
            try await cluster.admin.request("PUT", "\(Self.services())/fixed", json: replaced).expectFailure(422, "Invalid")
            replaced[path: ["spec", "clusterIP"]] = nil
            replaced[path: ["spec", "clusterIPs"]] = nil
            replaced[path: ["spec", "ports"]] = [["port": 80]]
            let kept = try await cluster.admin.send("PUT", "\(Self.services())/fixed", replaced, expect: 200)
            #expect(kept[path: ["spec", "clusterIP"]] == "10.96.10.10" && kept[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"] == 30080)

            // One Service never gets one node port twice for one protocol.
            var twoPorts = Self.service("two", type: "NodePort")
            twoPorts[path: ["spec", "ports"]] = [["name": "a", "port": 80, "nodePort": 30090], ["name": "b", "port": 81]]
            let two = try await cluster.admin.create(Self.services(), twoPorts)
            let given = two[path: ["spec", "ports"]]?.arrayValue?.compactMap { $0["nodePort"]?.intValue } ?? []
            #expect(given.count == 2 && given[0] == 30090 && given[1] != 30090)
            twoPorts[path: ["metadata", "name"]] = "dup"
            twoPorts[path: ["spec", "ports"]] = [["name": "a", "port": 80, "nodePort": 30091], ["name": "b", "port": 81, "nodePort": 30091]]
            let duplicate = try await cluster.admin.request("POST", Self.services(), json: twoPorts).expectFailure(422, "Invalid")
            #expect(duplicate[path: ["details", "causes"]]?.arrayValue?.first?["field"]?.stringValue == "spec.ports[1].nodePort")
        }
    }

    @Test func addressesComeBackWhenTheServiceGoesOrItsCreateIsRefused() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.services(), Self.service("first", type: "NodePort", clusterIP: "10.96.20.20", nodePort: 31000))
            _ = try await cluster.admin.send("DELETE", "\(Self.services())/first", expect: 200)
            var reused = false
            for _ in 0..<100 where !reused {
                reused = try await cluster.admin.request("POST", Self.services(), json: Self.service("second", type: "NodePort", clusterIP: "10.96.20.20", nodePort: 31000)).status == 201
                if !reused { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(reused, "the deleted Service's addresses were given back")

            // A create refused after the addresses were reserved (here by quota) keeps none.
            try await cluster.admin.create("/api/v1/namespaces", ["metadata": ["name": "full"]])
            try await cluster.admin.create("/api/v1/namespaces/full/resourcequotas", [
                "metadata": ["name": "none"], "spec": ["hard": ["services.nodeports": "0"]],
            ])
            try await cluster.admin.request("POST", Self.services("full"), json: Self.service("refused", type: "NodePort", clusterIP: "10.96.30.30", nodePort: 31500))
                .expectFailure(403, "Forbidden")
            try await cluster.admin.create(Self.services(), Self.service("taker", type: "NodePort", clusterIP: "10.96.30.30", nodePort: 31500))
        }
    }

    @Test func repairFreesAddressesNoServiceHolds() async throws {
        try await TestCluster.with { cluster in
            let allocations = ServiceAllocations(store: cluster.store)
            let ghost: JSONValue = ["metadata": ["name": "ghost", "namespace": "default", "uid": "dead-beef"]]
            let longAgo = ServiceAllocations.Holder(ghost, since: Date().addingTimeInterval(-3600))
            let justNow = ServiceAllocations.Holder(["metadata": ["name": "inflight", "namespace": "default", "uid": "in-flight"]])
            #expect(try await allocations.reserve(.clusterIP("10.96.40.40"), for: longAgo))
            #expect(try await allocations.reserve(.clusterIP("10.96.40.41"), for: justNow))
            let kept = try await cluster.admin.create(Self.services(), Self.service("kept"))
            let releaser = ServiceAddressReleaser(registry: cluster.registry, allocations: allocations, repairInterval: .seconds(3600), logger: .init(label: "test"))
            await releaser.repair()
            #expect(try await allocations.holder(of: .clusterIP("10.96.40.40")) == nil, "an old reservation without a Service is freed")
            #expect(try await allocations.holder(of: .clusterIP("10.96.40.41")) != nil, "a create in flight keeps its address")
            let keptIP = try #require(kept[path: ["spec", "clusterIP"]]?.stringValue)
            #expect(try await allocations.holder(of: .clusterIP(keptIP))?.uid == kept.uid)

            // A Service whose address has no record (stored before records existed) gets one back.
            _ = try await cluster.store.delete(ServiceAllocations.key(.clusterIP(keptIP)), expectedRevision: nil)
            await releaser.repair()
            #expect(try await allocations.holder(of: .clusterIP(keptIP))?.uid == kept.uid)
        }
    }
}
