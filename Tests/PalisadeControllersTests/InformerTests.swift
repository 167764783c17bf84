import Foundation
import Logging
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

@testable import PalisadeControllers

/// An informer on a real server: the initial list, changes from the watch, and a clean end.
@Suite struct InformerTests {
    @Test func listsWatchesAndFinishesItsSubscribersWhenStopped() async throws {
        try await TestCluster.with { cluster in
            let client = APIClient(try cluster.client(user: "reader", groups: ["system:masters"]))
            let informer = Informer(path: "/api/v1/namespaces", client: client, logger: Logger(label: "test"))
            let changes = informer.changes()
            let run = Task { await informer.run() }
            await informer.waitForSync()
            #expect(informer.object("kube-system") != nil)
            try await cluster.admin.create("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "fresh"]])
            var seen: [String] = []
            for await change in changes {
                if change.kind == .added { seen.append(change.object.name ?? "") }
                if seen.contains("fresh") { break }
            }
            #expect(seen.contains("kube-system") && seen.contains("fresh"), "the initial objects, then the new one")
            // Stopping finishes every subscriber's stream (it used to re-enter the informer's lock).
            let late = informer.changes()
            run.cancel()
            await run.value
            var remaining = 0
            for await _ in late { remaining += 1 }
            #expect(remaining >= 3, "a late subscriber first gets the known objects, then its stream ends")
            try await client.http.shutdown()
        }
    }

    @Test func aSharedInformerKeepsEachNamespacesObjectsAndIsRunOnce() async throws {
        try await TestCluster.with { cluster in
            let client = APIClient(try cluster.client(user: "reader", groups: ["system:masters"]))
            let factory = InformerFactory(client: client, logger: Logger(label: "test"))
            let informer = factory.informer("/api/v1/configmaps")
            #expect(factory.informer("/api/v1/configmaps") === informer, "one informer per collection")
            try await cluster.admin.create("/api/v1/namespaces", ["metadata": ["name": "team-a"]])
            for (namespace, name) in [("default", "one"), ("team-a", "two"), ("team-a", "three")] {
                try await cluster.admin.create("/api/v1/namespaces/\(namespace)/configmaps", ["metadata": ["name": .string(name)]])
            }
            // Two users run it; the second only waits with the first.
            let runs = [Task { await informer.run() }, Task { await informer.run() }]
            await informer.waitForSync()
            func names(_ namespace: String) -> Set<String> { Set(informer.objects(in: namespace).compactMap(\.name)) }
            #expect(names("team-a").isSuperset(of: ["two", "three"]) && !names("team-a").contains("one"))
            _ = try await cluster.admin.request("DELETE", "/api/v1/namespaces/team-a/configmaps/two", json: nil)
            #expect(try await eventually { !names("team-a").contains("two") && names("team-a").contains("three") })
            #expect(names("default").contains("one"))
            for run in runs { run.cancel() }
            for run in runs { await run.value }
            try await client.http.shutdown()
        }
    }
}
