import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// Every active namespace keeps its `default` ServiceAccount.
@Suite struct ServiceAccountControllerTests {
    @Test func aDeletedDefaultAccountComesBack() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withControllers {
                try await cluster.admin.create("/api/v1/namespaces", ["metadata": ["name": "team-a"]])
                let path = "/api/v1/namespaces/team-a/serviceaccounts/default"
                let first = try await cluster.admin.json(path)
                _ = try await cluster.admin.request("DELETE", path, json: nil)
                #expect(try await eventually {
                    guard let again = try await cluster.admin.request("GET", path, json: nil).json, again.name == "default" else { return false }
                    return again.uid != first.uid
                })
            }
        }
    }
}
