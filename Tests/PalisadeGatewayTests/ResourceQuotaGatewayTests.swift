import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// ResourceQuota through the API: creates are charged exactly, even when they race; the
/// refusal is Kubernetes' message; status stays current as objects go; dry runs charge nothing.
@Suite struct ResourceQuotaGatewayTests {
    static let quotas = "/api/v1/namespaces/default/resourcequotas"

    static func quota(_ name: String, hard: [String: String]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": .string(name)], "spec": ["hard": .strings(hard)]]
    }

    static func used(_ cluster: TestCluster, _ name: String) async throws -> [String: String] {
        try await cluster.admin.get("\(quotas)/\(name)")[path: ["status", "used"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }

    static func pod(_ name: String, cpu: String, memory: String) -> JSONValue {
        var pod = Manifests.pod(name)
        pod[path: ["spec", "containers"]] = [[
            "name": "app", "image": "nginx:1.27",
            "resources": ["requests": ["cpu": .string(cpu)], "limits": ["memory": .string(memory)]],
        ]]
        return pod
    }

    @Test func racingCreatesAdmitExactlyTheQuota() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.quotas, Self.quota("objects", hard: ["count/configmaps": "5"]))
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await cluster.admin.request("POST", Paths.configMaps(), json: Manifests.configMap("cm-\(index)")).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == 201 }.count == 5)
            #expect(codes.filter { $0 == 403 }.count == 19)
            #expect(try await Self.used(cluster, "objects") == ["count/configmaps": "5"])
            let stored = try await cluster.admin.get(Paths.configMaps())["items"]?.arrayValue?.count
            #expect(stored == 5)
        }
    }

    @Test func refusalsSayWhatWasRequestedUsedAndLimited() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.quotas, Self.quota("compute", hard: ["pods": "2", "requests.cpu": "1", "limits.memory": "1Gi"]))
            try await cluster.admin.create(Paths.pods(), Self.pod("a", cpu: "600m", memory: "512Mi"))
            let status = try await cluster.admin.request("POST", Paths.pods(), json: Self.pod("b", cpu: "600m", memory: "256Mi"))
                .expectFailure(403, "Forbidden")
            #expect(status["message"]?.stringValue == #"pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1"#)
            let bare = try await cluster.admin.request("POST", Paths.pods(), json: Manifests.pod("c")).expectFailure(403, "Forbidden")
            #expect(bare["message"]?.stringValue == #"pods "c" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app"#)
            // A dry run is judged but charges nothing.
            let dry = try await cluster.admin.request("POST", Paths.pods() + "?dryRun=All", json: Self.pod("d", cpu: "300m", memory: "256Mi"))
            #expect(dry.status == 201)
            #expect(try await Self.used(cluster, "compute") == ["pods": "1", "requests.cpu": "600m", "limits.memory": "512Mi"])
        }
    }

    @Test func deletionsFreeTheirShare() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Self.quotas, Self.quota("objects", hard: ["count/configmaps": "2"]))
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("one"))
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("two"))
            try await cluster.admin.request("POST", Paths.configMaps(), json: Manifests.configMap("three")).expectFailure(403, "Forbidden")
            _ = try await cluster.admin.send("DELETE", Paths.configMap("one"), expect: 200)
            var freed = false
            for _ in 0..<50 where !freed {
                freed = try await Self.used(cluster, "objects") == ["count/configmaps": "1"]
                if !freed { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(freed, "the recount did not free the deleted object's share")
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("three"))
        }
    }

    @Test func aQuotaCountsWhatAlreadyExists() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("before"))
            try await cluster.admin.create(Self.quotas, Self.quota("objects", hard: ["configmaps": "1"]))
            try await cluster.admin.request("POST", Paths.configMaps(), json: Manifests.configMap("after")).expectFailure(403, "Forbidden")
            try await cluster.admin.request("POST", Self.quotas, json: Self.quota("bad", hard: ["pods": "lots"])).expectFailure(422, "Invalid")
        }
    }
}
