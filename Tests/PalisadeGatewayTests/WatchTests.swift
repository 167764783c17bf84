import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// `?watch=true`: initial state, resuming from a version, selectors, expiry, tables and timeouts.
@Suite struct WatchTests {
    @Test func withoutAVersionExistingObjectsComeFirstThenChanges() async throws {
        try await TestCluster.with { cluster in
            for name in ["a", "b"] { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name)) }
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true")
            let admin = cluster.admin
            let changes = Task {
                try await admin.create(Paths.configMaps(), Manifests.configMap("c"))
                try await admin.patch(Paths.configMap("a"), ["data": ["key": "changed"]], contentType: MediaType.mergePatch)
                try await admin.send("DELETE", Paths.configMap("b"), expect: 200)
            }
            let received = try await collect(events, count: 5)
            try await changes.value
            #expect(summary(received) == ["ADDED a", "ADDED b", "ADDED c", "MODIFIED a", "DELETED b"])
            #expect(received[3]["object"]?[path: ["data", "key"]]?.stringValue == "changed")
            #expect(received.allSatisfy { $0["object"]?.kind == "ConfigMap" && $0["object"]?.apiVersion == "v1" })
            let versions = received.dropFirst(2).compactMap { $0["object"]?.resourceVersion.flatMap { Int64($0) } }
            #expect(versions == versions.sorted() && Set(versions).count == 3, "\(versions)")
        }
    }

    @Test func bookmarksCarryTheLastVersionSentOnlyWhenAllowed() async throws {
        try await TestCluster.with(bookmarkInterval: .milliseconds(200)) { cluster in
            let a = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a"))
            let allowed = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&allowWatchBookmarks=true")
            let received = try await collect(allowed, count: 2)
            #expect(received.map { $0["type"]?.stringValue } == ["ADDED", "BOOKMARK"])
            #expect(received.last?["object"]?.resourceVersion == a.resourceVersion)
            #expect(received.last?["object"]?.kind == "ConfigMap")
            let plain = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&timeoutSeconds=1")
            #expect(try await collect(plain).map { $0["type"]?.stringValue } == ["ADDED"])
        }
    }

    @Test func fromAVersionOnlyLaterChangesArrive() async throws {
        try await TestCluster.with { cluster in
            let a = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a"))
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("b"))
            try await cluster.admin.patch(Paths.configMap("a"), ["data": ["key": "changed"]], contentType: MediaType.mergePatch)
            let version = try #require(a.resourceVersion)
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&resourceVersion=\(version)")
            try await cluster.admin.send("DELETE", Paths.configMap("a"), expect: 200)
            #expect(summary(try await collect(events, count: 3)) == ["ADDED b", "MODIFIED a", "DELETED a"])
        }
    }

    @Test func versionZeroStartsWithTheCurrentState() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a"))
            try await cluster.admin.patch(Paths.configMap("a"), ["data": ["key": "changed"]], contentType: MediaType.mergePatch)
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&resourceVersion=0")
            let received = try await collect(events, count: 1)
            #expect(summary(received) == ["ADDED a"])
            #expect(received.first?["object"]?[path: ["data", "key"]]?.stringValue == "changed")
        }
    }

    @Test func anObjectLeavingTheSelectionIsDeletedAndReturningIsAdded() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a", labels: ["app": "web"]))
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("other", labels: ["app": "db"]))
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&labelSelector=app%3Dweb")
            let path = Paths.configMap("a")
            for app in ["db", "web"] {
                try await cluster.admin.patch(path, ["metadata": ["labels": ["app": .string(app)]]], contentType: MediaType.mergePatch)
            }
            try await cluster.admin.patch(Paths.configMap("other"), ["data": ["x": "y"]], contentType: MediaType.mergePatch)
            try await cluster.admin.patch(path, ["data": ["x": "y"]], contentType: MediaType.mergePatch)
            let received = try await collect(events, count: 4)
            #expect(summary(received) == ["ADDED a", "DELETED a", "ADDED a", "MODIFIED a"])
            #expect(received[1]["object"]?.labels == ["app": "db"])
        }
    }

    @Test func fromAVersionTheSelectionAtThatVersionCounts() async throws {
        try await TestCluster.with { cluster in
            let a = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a", labels: ["app": "web"]))
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&labelSelector=app%3Dweb&resourceVersion=\(a.resourceVersion ?? "")")
            try await cluster.admin.patch(Paths.configMap("a"), ["metadata": ["labels": ["app": "db"]]], contentType: MediaType.mergePatch)
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("b", labels: ["app": "web"]))
            #expect(summary(try await collect(events, count: 2)) == ["DELETED a", "ADDED b"])
        }
    }

    @Test func aFieldSelectorWatchFollowsOneObject() async throws {
        try await TestCluster.with { cluster in
            for name in ["a", "b"] { try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name)) }
            // What `kubectl get configmap b -w` and `kubectl delete`'s wait send.
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&fieldSelector=metadata.name%3Db&resourceVersion=0")
            try await cluster.admin.send("DELETE", Paths.configMap("a"), expect: 200)
            try await cluster.admin.send("DELETE", Paths.configMap("b"), expect: 200)
            #expect(summary(try await collect(events, count: 2)) == ["ADDED b", "DELETED b"])
        }
    }

    @Test func aCompactedVersionEndsTheWatchWithGone() async throws {
        try await TestCluster.with { cluster in
            let first = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a"))
            for value in ["1", "2", "3"] {
                try await cluster.admin.patch(Paths.configMap("a"), ["data": ["key": .string(value)]], contentType: MediaType.mergePatch)
            }
            try await cluster.compactEverything()
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&resourceVersion=\(first.resourceVersion ?? "")")
            let received = try await collect(events)
            try #require(received.count == 1, "\(received)")
            #expect(received[0]["type"]?.stringValue == "ERROR")
            let status = try #require(received[0]["object"])
            #expect(status["kind"]?.stringValue == "Status")
            #expect(status["status"]?.stringValue == "Failure")
            #expect(status["code"]?.intValue == 410)
            #expect(status["reason"]?.stringValue == "Expired")
        }
    }

    @Test func aTableWatchSendsColumnsOnlyOnce() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            let events = try await cluster.admin.watch(Paths.pods() + "?watch=true", headers: [("Accept", MediaType.table + ",application/json")])
            try await cluster.admin.patch(Paths.pod("p"), ["metadata": ["labels": ["a": "b"]]], contentType: MediaType.mergePatch)
            let received = try await collect(events, count: 2)
            try #require(received.count == 2, "\(received)")
            #expect(summary(received).map { $0.prefix(5) } == ["ADDED", "MODIF"])
            let tables = received.compactMap { $0["object"] }
            #expect(tables.allSatisfy { $0.kind == "Table" && $0.apiVersion == "meta.k8s.io/v1" })
            let columns = tables[0]["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(columns.starts(with: ["Name", "Ready", "Status", "Restarts", "Age"]), "\(columns)")
            #expect(tables[1]["columnDefinitions"]?.isNull == true)
            for table in tables {
                let row = try #require(table["rows"]?.arrayValue?.first)
                #expect(table["rows"]?.arrayValue?.count == 1)
                #expect(row["cells"]?.arrayValue?.first?.stringValue == "p")
                #expect(row["object"]?.kind == "PartialObjectMetadata")
                #expect(table[path: ["metadata", "resourceVersion"]] == row["object"]?[path: ["metadata", "resourceVersion"]])
            }
            #expect(tables[1]["rows"]?.arrayValue?.first?["object"]?.labels == ["a": "b"])
        }
    }

    @Test func timeoutSecondsEndsTheStream() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a"))
            let start = ContinuousClock.now
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&timeoutSeconds=1")
            let received = try await collect(events, timeout: .seconds(6))
            let elapsed = ContinuousClock.now - start
            #expect(summary(received) == ["ADDED a"])
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(4), "the watch lasted \(elapsed)")
        }
    }

    @Test func allowingBookmarksAddsNoneBeforeTheInterval() async throws {
        try await TestCluster.with(bookmarkInterval: .seconds(60)) { cluster in
            // Long enough for the create to land even on a loaded machine.
            let events = try await cluster.admin.watch(Paths.configMaps() + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=4")
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("a"))
            let received = try await collect(events, timeout: .seconds(8))
            // The bookmark interval (60 s) is longer than the watch: only the event itself.
            #expect(summary(received) == ["ADDED a"])
        }
    }

    @Test(arguments: ["resourceVersion=abc", "resourceVersion=-4", "timeoutSeconds=soon", "labelSelector=app%3D%28"])
    func anInvalidWatchIsRefusedBeforeStreaming(query: String) async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("GET", Paths.configMaps() + "?watch=true&" + query, json: nil)
            try response.expectFailure(400, "BadRequest")
        }
    }

    @Test func aWatchOfAGroupedKindAcrossNamespaces() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
            let events = try await cluster.admin.watch("/apis/apps/v1/deployments?watch=true")
            try await cluster.admin.create(Paths.deployments(), Manifests.deployment("one"))
            try await cluster.admin.create(Paths.deployments(in: "team-a"), Manifests.deployment("two"))
            let received = try await collect(events, count: 2)
            #expect(received.compactMap { $0["object"].map { "\($0.namespace ?? "")/\($0.name ?? "")" } } == ["default/one", "team-a/two"])
            #expect(received.allSatisfy { $0["object"]?.kind == "Deployment" })
        }
    }
}

