import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// GET of one object and of lists: NotFound, list shape, selectors, and lists across namespaces.
@Suite struct ReadTests {
    @Test(arguments: [
        (Paths.configMap("missing"), "configmaps \"missing\" not found", "configmaps", ""),
        (Paths.deployment("missing"), "deployments.apps \"missing\" not found", "deployments", "apps"),
        (Paths.namespace("missing"), "namespaces \"missing\" not found", "namespaces", ""),
    ])
    func aMissingObjectIsNotFoundWithDetails(path: String, message: String, kind: String, group: String) async throws {
        try await TestCluster.with { cluster in
            let status = try await cluster.admin.request("GET", path, json: nil).expectFailure(404, "NotFound")
            #expect(status.message == message)
            #expect(status[path: ["details", "name"]]?.stringValue == "missing")
            #expect(status[path: ["details", "kind"]]?.stringValue == kind)
            #expect((status[path: ["details", "group"]]?.stringValue ?? "") == group)
        }
    }

    @Test func anEmptyListHasItsKindAnEmptyItemsArrayAndAResourceVersion() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("GET", Paths.configMaps(), json: nil)
            #expect(response.status == 200)
            // `"items":[]` on the wire, never null or missing (the Python client requires it).
            #expect(response.text.contains("\"items\":[]"), "\(response.text)")
            let list = try #require(response.json)
            #expect(list["kind"]?.stringValue == "ConfigMapList")
            #expect(list["apiVersion"]?.stringValue == "v1")
            let version = try #require(list[path: ["metadata", "resourceVersion"]]?.stringValue)
            #expect(Int64(version) == (try await cluster.revision()))
            #expect(list[path: ["metadata", "continue"]] == nil)
        }
    }

    @Test func aListHoldsFullObjectsAndTheNewestResourceVersion() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a"))
            let b = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("b"))
            let list = try await cluster.admin.get(Paths.configMaps())
            #expect(list.itemNames == ["a", "b"])
            #expect(list[path: ["metadata", "resourceVersion"]]?.stringValue == b.resourceVersion)
            let item = try #require(list["items"]?.arrayValue?.first)
            #expect(item[path: ["data", "key"]]?.stringValue == "value")
            #expect(item.uid != nil && item.resourceVersion != nil)
            #expect(try await cluster.admin.get(Paths.deployments())["kind"]?.stringValue == "DeploymentList")
        }
    }

    /// Objects: a {app=web,tier=front}, b {app=web,tier=back}, c {app=db}, d {}.
    @Test(arguments: [
        ("app=web", ["a", "b"]), ("app==web", ["a", "b"]), ("app!=web", ["c", "d"]),
        ("tier in (front,back)", ["a", "b"]), ("tier notin (front)", ["b", "c", "d"]),
        ("tier", ["a", "b"]), ("!tier", ["c", "d"]), ("app=web,tier=back", ["b"]), ("app in (db),tier", []),
    ])
    func labelSelectorsFilterLists(selector: String, expected: [String]) async throws {
        try await TestCluster.with { cluster in
            let labels: [(String, [String: String])] = [
                ("a", ["app": "web", "tier": "front"]), ("b", ["app": "web", "tier": "back"]), ("c", ["app": "db"]), ("d", [:]),
            ]
            for (name, labels) in labels { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name, labels: labels)) }
            let query = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            #expect(try await cluster.admin.get(Paths.configMaps() + "?labelSelector=\(query)").itemNames == expected)
        }
    }

    @Test func fieldSelectorsOnNameAndNamespace() async throws {
        try await TestCluster.with { cluster in
            for name in ["a", "b", "c"] { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name)) }
            #expect(try await cluster.admin.get(Paths.configMaps() + "?fieldSelector=metadata.name%3Db").itemNames == ["b"])
            #expect(try await cluster.admin.get(Paths.configMaps() + "?fieldSelector=metadata.name%21%3Db").itemNames == ["a", "c"])
            #expect(try await cluster.admin.get(Paths.configMaps() + "?fieldSelector=metadata.name%3Dnone").itemNames == [])
            #expect(try await cluster.admin.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Ddefault").itemNames == ["a", "b", "c"])
            #expect(try await cluster.admin.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Dother").itemNames == [])
        }
    }

    @Test func podFieldSelectorsOnNodeAndPhase() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("waiting"))
            for name in ["scheduled", "running"] { try await cluster.admin.create(Paths.pods(), Manifests.pod(name, nodeName: "node-1")) }
            var running = try await cluster.admin.get(Paths.pod("running"))
            running[path: ["status", "phase"]] = "Running"
            try await cluster.admin.send("PUT", Paths.pod("running") + "/status", running, expect: 200)

            let cases: [(String, [String])] = [
                ("spec.nodeName=node-1", ["running", "scheduled"]), ("spec.nodeName=", ["waiting"]), ("spec.nodeName!=", ["running", "scheduled"]),
                ("status.phase=Pending", ["scheduled", "waiting"]), ("status.phase=Running", ["running"]),
                ("status.phase!=Running,spec.nodeName=node-1", ["scheduled"]),
            ]
            for (selector, expected) in cases {
                let query = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                #expect(try await cluster.admin.get(Paths.pods() + "?fieldSelector=\(query)").itemNames == expected, "\(selector)")
            }
        }
    }

    @Test(arguments: [
        "labelSelector=app%3D%28x", "labelSelector=tier%20in%20front", "labelSelector=bad%20key%3Dx",
        "fieldSelector=metadata.name", "fieldSelector=spec.unknown%3Dx", "limit=-1", "limit=many", "continue=not-a-token",
    ])
    func anInvalidQueryIsBadRequest(query: String) async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.admin.request("GET", Paths.configMaps() + "?" + query, json: nil).expectFailure(400, "BadRequest")
        }
    }

    @Test func listsAcrossAllNamespaces() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("one", labels: ["t": "x"]))
            try await cluster.admin.create(Paths.configMaps(in: "team-a"), Manifests.configMap("two", labels: ["t": "x"]))
            try await cluster.admin.create(Paths.configMaps(in: "team-a"), Manifests.configMap("three"))
            let list = try await cluster.admin.get("/api/v1/configmaps?labelSelector=t%3Dx")
            #expect(list["kind"]?.stringValue == "ConfigMapList")
            let pairs = (list["items"]?.arrayValue ?? []).map { "\($0.namespace ?? "")/\($0.name ?? "")" }.sorted()
            #expect(pairs == ["default/one", "team-a/two"])
            #expect(try await cluster.admin.get("/apis/apps/v1/deployments").itemNames.isEmpty)
        }
    }

    @Test func aNamespacedResourceOutsideANamespaceIsOnlyListable() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.request("GET", "/api/v1/configmaps/cfg", json: nil).expectFailure(404, "NotFound")
            try await cluster.expectNoWrites {
                let create = try await cluster.admin.request("POST", "/api/v1/configmaps", json: Manifests.configMap("cfg"))
                #expect([404, 405].contains(create.status), "\(create.text)")
            }
        }
    }
}
