import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, what `kubectl get` asks for.
@Suite struct TableTests {
    /// kubectl's full Accept for `get`.
    static let kubectlAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    static func table(_ cluster: TestCluster, _ path: String, accept: String = kubectlAccept) async throws -> JSONValue {
        let response = try await cluster.admin.request("GET", path, headers: [("Accept", accept)])
        try #require(response.status == 200, "\(response.text)")
        return try #require(response.json)
    }

    @Test func podListAsTable() async throws {
        try await TestCluster.with { cluster in
            for name in ["p1", "p2"] { try await cluster.admin.create(Paths.pods(), Manifests.pod(name, labels: ["app": "web"])) }
            let table = try await Self.table(cluster, Paths.pods() + "?limit=500")
            #expect(table.kind == "Table")
            #expect(table.apiVersion == "meta.k8s.io/v1")
            #expect(table[path: ["metadata", "resourceVersion"]]?.stringValue == String(try await cluster.revision()))
            let columns = try #require(table["columnDefinitions"]?.arrayValue)
            let names = columns.compactMap { $0["name"]?.stringValue }
            #expect(names.starts(with: ["Name", "Ready", "Status", "Restarts", "Age"]), "\(names)")
            #expect(columns.first?["format"]?.stringValue == "name")
            #expect(columns.prefix(5).allSatisfy { $0["priority"]?.intValue == 0 })
            #expect(columns.dropFirst(5).allSatisfy { $0["priority"]?.intValue == 1 })

            let rows = try #require(table["rows"]?.arrayValue)
            #expect(rows.count == 2)
            let cells = rows[0]["cells"]?.arrayValue ?? []
            #expect(cells.count == columns.count)
            #expect(Array(cells.prefix(4)) == ["p1", "0/1", "Pending", "0"])
            let object = try #require(rows[0]["object"])
            #expect(object.kind == "PartialObjectMetadata")
            #expect(object.apiVersion == "meta.k8s.io/v1")
            #expect(object.name == "p1" && object.namespace == "default")
            #expect(object.labels == ["app": "web"])
            #expect(object["spec"] == nil)
        }
    }

    @Test(arguments: [("Object", "Pod"), ("Metadata", "PartialObjectMetadata")])
    func includeObjectChoosesTheRowObject(include: String, kind: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            let table = try await Self.table(cluster, Paths.pods() + "?includeObject=\(include)")
            let object = try #require(table["rows"]?.arrayValue?.first?["object"])
            #expect(object.kind == kind)
            #expect((object[path: ["spec", "containers"]] != nil) == (kind == "Pod"))
        }
    }

    @Test func includeObjectNoneLeavesRowsWithoutObjects() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            let table = try await Self.table(cluster, Paths.pods() + "?includeObject=None")
            #expect(table["rows"]?.arrayValue?.first?["object"] == nil)
        }
    }

    @Test func aSingleObjectAsTable() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("web", replicas: 3))
            let table = try await Self.table(cluster, Paths.deployment("web"))
            #expect(table.kind == "Table")
            let columns = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(columns.starts(with: ["Name", "Ready", "Up-to-date", "Available", "Age"]), "\(columns)")
            let rows = table["rows"]?.arrayValue ?? []
            #expect(rows.count == 1)
            #expect(rows.first?["cells"]?.arrayValue?.prefix(4).map { $0 } == ["web", "0/3", 0, 0])
        }
    }

    @Test func anEmptyTableHasColumnsAndNoRows() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("GET", Paths.configMaps(), headers: [("Accept", Self.kubectlAccept)])
            #expect(response.text.contains("\"rows\":[]"), "\(response.text)")
            let columns = response.json?["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(columns.first == "Name" && columns.last == "Age", "\(columns)")
        }
    }

    @Test func v1beta1TablesAreServedWhenAskedFor() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            let table = try await Self.table(cluster, Paths.pods(), accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io")
            #expect(table.apiVersion == "meta.k8s.io/v1beta1")
            #expect(table["rows"]?.arrayValue?.first?["object"]?.apiVersion == "meta.k8s.io/v1beta1")
        }
    }

    @Test func pagedTablesCarryTheContinueToken() async throws {
        try await TestCluster.with { cluster in
            for name in ["a", "b", "c"] { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name)) }
            let first = try await Self.table(cluster, Paths.configMaps() + "?limit=2")
            #expect(first["rows"]?.arrayValue?.count == 2)
            let token = try #require(first[path: ["metadata", "continue"]]?.stringValue)
            let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            let second = try await Self.table(cluster, Paths.configMaps() + "?limit=2&continue=\(encoded)")
            #expect(second["rows"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first?.stringValue } == ["c"])
        }
    }

    @Test(arguments: ["application/yaml;as=Table", "application/vnd.kubernetes.protobuf", "text/html"])
    func anAcceptWithoutJSONIsNotAcceptable(accept: String) async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("GET", Paths.configMaps(), headers: [("Accept", accept)])
            try response.expectFailure(406, "NotAcceptable")
        }
    }
}
