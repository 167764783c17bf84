import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// `limit` and `continue`: every object exactly once, from one consistent snapshot.
@Suite struct PagingTests {
    /// Follows `continue` from `path` (which carries `limit`), returning every page.
    static func pages(_ client: PalisadeClient, _ path: String, between: @Sendable (Int) async throws -> Void = { _ in }) async throws -> [JSONValue] {
        var pages: [JSONValue] = []
        var token: String?
        repeat {
            let suffix = token.map { "&continue=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
            let page = try await client.get(path + suffix)
            pages.append(page)
            token = page[path: ["metadata", "continue"]]?.stringValue
            try #require(pages.count <= 20, "paging does not end")
            try await between(pages.count)
        } while token != nil
        return pages
    }

    @Test(arguments: [1, 2, 3, 7, 8, 500])
    func pagesReturnEveryObjectExactlyOnce(limit: Int) async throws {
        try await TestCluster.with { cluster in
            let names = (1...7).map { "cfg-\($0)" }
            for name in names { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name)) }
            let pages = try await Self.pages(cluster.admin, Paths.configMaps() + "?limit=\(limit)")
            let seen = pages.flatMap { ($0["items"]?.arrayValue ?? []).compactMap(\.name) }
            #expect(seen.sorted() == names.sorted())
            #expect(Set(seen).count == seen.count, "duplicates in \(seen)")
            #expect(pages.count == (names.count + limit - 1) / limit)
            #expect(pages.dropLast().allSatisfy { $0["items"]?.arrayValue?.count == limit })
            #expect(pages.allSatisfy { $0["kind"]?.stringValue == "ConfigMapList" })
        }
    }

    @Test func laterPagesComeFromTheFirstPagesSnapshot() async throws {
        try await TestCluster.with { cluster in
            let names = (1...6).map { "cfg-\($0)" }
            for name in names { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name, data: ["v": "old"])) }
            let admin = cluster.admin
            let pages = try await Self.pages(admin, Paths.configMaps() + "?limit=2") { page in
                // Between pages: a new object sorting last, a change and a deletion of later objects.
                try await admin.create(Paths.configMaps(), Manifests.configMap("zz-new-\(page)"))
                if page == 1 {
                    try await admin.patch(Paths.configMap("cfg-5"), ["data": ["v": "new"]], contentType: MediaType.mergePatch)
                    try await admin.send("DELETE", Paths.configMap("cfg-6"), expect: 200)
                }
            }
            let items = pages.flatMap { $0["items"]?.arrayValue ?? [] }
            #expect(items.compactMap(\.name) == names)
            #expect(items.allSatisfy { $0[path: ["data", "v"]]?.stringValue == "old" })
            let versions = Set(pages.compactMap { $0[path: ["metadata", "resourceVersion"]]?.stringValue })
            #expect(versions.count == 1, "pages of one list report one resourceVersion: \(versions)")
            #expect(try await cluster.admin.get(Paths.configMaps()).itemNames.count == 6 + pages.count - 1)
        }
    }

    @Test func pagingCombinesWithASelector() async throws {
        try await TestCluster.with { cluster in
            for index in 1...9 {
                try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg-\(index)", labels: ["odd": index % 2 == 1 ? "yes" : "no"]))
            }
            let pages = try await Self.pages(cluster.admin, Paths.configMaps() + "?labelSelector=odd%3Dyes&limit=2")
            let seen = pages.flatMap { ($0["items"]?.arrayValue ?? []).compactMap(\.name) }
            #expect(seen == ["cfg-1", "cfg-3", "cfg-5", "cfg-7", "cfg-9"])
            #expect(pages.dropLast().allSatisfy { $0["items"]?.arrayValue?.count == 2 })
        }
    }

    @Test func aContinueTokenOnlyWorksForItsOwnCollection() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
            for name in ["a", "b", "c"] { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name)) }
            let first = try await cluster.admin.get(Paths.configMaps() + "?limit=1")
            let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
            let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            try await cluster.admin.request("GET", Paths.configMaps(in: "team-a") + "?limit=1&continue=\(encoded)", json: nil)
                .expectFailure(400, "BadRequest")
            try await cluster.admin.request("GET", "/api/v1/secrets?limit=1&continue=\(encoded)", json: nil)
                .expectFailure(400, "BadRequest")
        }
    }

    @Test func aContinueTokenOlderThanCompactionIsExpired() async throws {
        try await TestCluster.with { cluster in
            for name in ["a", "b", "c"] { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name)) }
            let first = try await cluster.admin.get(Paths.configMaps() + "?limit=1")
            let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("d"))
            try await cluster.compactEverything()
            let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            let status = try await cluster.admin.request("GET", Paths.configMaps() + "?limit=1&continue=\(encoded)", json: nil)
                .expectFailure(410, "Expired")
            #expect(status.message.contains("continue"))
        }
    }
}
