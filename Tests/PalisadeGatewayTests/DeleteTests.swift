import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// DELETE: the answer, finalizers, preconditions, collections, and namespace deletion.
@Suite struct DeleteTests {
    @Test func deleteAnswersWithTheObjectAndRemovesIt() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.admin.create(Paths.pods(), Manifests.pod("p"))
            // kubectl sends DeleteOptions without a kind.
            let answer = try await cluster.admin.send("DELETE", Paths.pod("p"), ["propagationPolicy": "Background"], expect: 200)
            #expect(answer.kind == "Pod")
            #expect(answer.uid == created.uid)
            #expect(answer[path: ["spec", "containers"]]?.arrayValue?.count == 1)
            #expect(try await cluster.admin.isGone(Paths.pod("p")))
            try await cluster.admin.request("DELETE", Paths.pod("p"), json: nil).expectFailure(404, "NotFound")
        }
    }

    @Test func aFinalizerHoldsTheObjectUntilItIsRemoved() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("held", finalizers: [Manifests.holdFinalizer]))
            let response = try await cluster.admin.request("DELETE", Paths.configMap("held"), json: nil)
            #expect([200, 202].contains(response.status), "\(response.text)")
            let marked = try #require(response.json)
            #expect(marked.deletionTimestamp != nil)
            #expect(marked.finalizers == [Manifests.holdFinalizer])

            let stored = try await cluster.admin.get(Paths.configMap("held"))
            #expect(stored.deletionTimestamp == marked.deletionTimestamp)
            // Deleting again changes nothing; adding a finalizer now is refused.
            try await cluster.expectNoWrites {
                let again = try await cluster.admin.request("DELETE", Paths.configMap("held"), json: nil)
                #expect([200, 202].contains(again.status), "\(again.text)")
                let added = try await cluster.admin.request(
                    "PATCH", Paths.configMap("held"), json: ["metadata": ["finalizers": [.string(Manifests.holdFinalizer), "example.com/more"]]],
                    contentType: MediaType.mergePatch
                )
                #expect(try added.expectFailure(422, "Invalid").causeFields == ["metadata.finalizers"])
            }
            // Other changes are still possible while it waits.
            try await cluster.admin.patch(Paths.configMap("held"), ["data": ["key": "still here"]], contentType: MediaType.mergePatch)

            try await cluster.admin.patch(Paths.configMap("held"), ["metadata": ["finalizers": .null]], contentType: MediaType.mergePatch)
            #expect(try await cluster.admin.isGone(Paths.configMap("held")))
        }
    }

    @Test func aUIDPreconditionThatDoesNotMatchIsAConflict() async throws {
        try await TestCluster.with { cluster in
            let created = try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg"))
            try await cluster.expectNoWrites {
                let options: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "00000000-0000-0000-0000-000000000000"]]
                let status = try await cluster.admin.request("DELETE", Paths.configMap("cfg"), json: options).expectFailure(409, "Conflict")
                #expect(status.message.contains("Precondition failed: UID in precondition"))
                let stale: JSONValue = ["preconditions": ["resourceVersion": "1"]]
                try await cluster.admin.request("DELETE", Paths.configMap("cfg"), json: stale).expectFailure(409, "Conflict")
            }
            let matching: JSONValue = ["preconditions": ["uid": .string(created.uid ?? ""), "resourceVersion": .string(created.resourceVersion ?? "")]]
            try await cluster.admin.send("DELETE", Paths.configMap("cfg"), matching, expect: 200)
            #expect(try await cluster.admin.isGone(Paths.configMap("cfg")))
        }
    }

    @Test func aDryRunDeleteKeepsTheObject() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg"))
            try await cluster.expectNoWrites {
                let answer = try await cluster.admin.send("DELETE", Paths.configMap("cfg") + "?dryRun=All", expect: 200)
                #expect(answer.name == "cfg")
            }
            #expect(try await cluster.admin.get(Paths.configMap("cfg")).name == "cfg")
        }
    }

    @Test func deleteCollectionDeletesOnlyWhatTheSelectorMatches() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
            for (name, app) in [("a", "web"), ("b", "web"), ("c", "db")] {
                try await cluster.admin.create(Paths.configMaps(), Manifests.configMap(name, labels: ["app": app]))
            }
            try await cluster.admin.create(Paths.configMaps(in: "team-a"), Manifests.configMap("d", labels: ["app": "web"]))
            let answer = try await cluster.admin.send("DELETE", Paths.configMaps() + "?labelSelector=app%3Dweb", expect: 200)
            #expect(answer.itemNames == ["a", "b"])
            #expect(try await cluster.admin.get(Paths.configMaps()).itemNames == ["c"])
            #expect(try await cluster.admin.get(Paths.configMaps(in: "team-a")).itemNames == ["d"])
        }
    }

    /// The namespace controller (a client of the API) empties and finalizes it.
    @Test func deletingANamespaceRemovesItsContentThenTheNamespace() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withControllers {
                try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
                try await cluster.admin.create(Paths.configMaps(in: "team-a"), Manifests.configMap("cfg"))
                try await cluster.admin.create(Paths.deployments(in: "team-a"), Manifests.deployment("web"))
                try await cluster.admin.create(Paths.pods(in: "team-a"), Manifests.pod("p"))
                try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("bystander"))

                let response = try await cluster.admin.request("DELETE", Paths.namespace("team-a"), json: nil)
                #expect([200, 202].contains(response.status), "\(response.text)")
                let marked = try #require(response.json)
                #expect(marked.deletionTimestamp != nil)
                #expect(marked[path: ["status", "phase"]]?.stringValue == "Terminating")
                #expect(marked[path: ["spec", "finalizers"]] == ["kubernetes"])

                #expect(try await eventually(within: .seconds(30)) { try await cluster.admin.isGone(Paths.namespace("team-a")) }, "namespace still there")
                for path in [Paths.configMap("cfg", in: "team-a"), Paths.deployment("web", in: "team-a"), Paths.pod("p", in: "team-a")] {
                    #expect(try await cluster.admin.isGone(path), "\(path)")
                }
                #expect(try await cluster.admin.get(Paths.configMap("bystander")).name == "bystander")
            }
        }
    }

    @Test func aNamespaceWaitsForItsContentsFinalizersAndSaysSo() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withControllers {
                try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team-a"))
                try await cluster.admin.create(Paths.configMaps(in: "team-a"), Manifests.configMap("held", finalizers: [Manifests.holdFinalizer]))
                _ = try await cluster.admin.request("DELETE", Paths.namespace("team-a"), json: nil)
                #expect(try await eventually(within: .seconds(30)) { try await cluster.admin.get(Paths.configMap("held", in: "team-a")).deletionTimestamp != nil })
                #expect(try await eventually(within: .seconds(30)) {
                    let conditions = try await cluster.admin.get(Paths.namespace("team-a"))[path: ["status", "conditions"]]?.arrayValue ?? []
                    return conditions.contains {
                        $0["type"] == "NamespaceFinalizersRemaining" && $0["status"] == "True"
                            && $0["message"]?.stringValue == "Some content in the namespace has finalizers remaining: \(Manifests.holdFinalizer) in 1 resource instances"
                    }
                })
                #expect(try await cluster.admin.get(Paths.namespace("team-a"))[path: ["status", "phase"]]?.stringValue == "Terminating")

                try await cluster.admin.patch(Paths.configMap("held", in: "team-a"), ["metadata": ["finalizers": .null]], contentType: MediaType.mergePatch)
                #expect(try await eventually(within: .seconds(30)) { try await cluster.admin.isGone(Paths.namespace("team-a")) }, "namespace still there")
            }
        }
    }

    @Test func onlyTheFinalizeSubresourceClearsANamespacesFinalizers() async throws {
        try await TestCluster.with { cluster in
            // Asking for no finalizers does not skip the cleanup.
            var namespace = Manifests.namespace("team-b")
            namespace[path: ["spec", "finalizers"]] = []
            let created = try await cluster.admin.create(Paths.namespaces, namespace)
            #expect(created[path: ["spec", "finalizers"]] == ["kubernetes"])
            _ = try await cluster.admin.request("DELETE", Paths.namespace("team-b"), json: nil)
            // Without the controller the namespace stays Terminating, whatever else is written to it.
            namespace = try await cluster.admin.get(Paths.namespace("team-b"))
            namespace[path: ["metadata", "labels", "note"]] = "still-here"
            namespace[path: ["spec", "finalizers"]] = []
            try await cluster.admin.send("PUT", Paths.namespace("team-b"), namespace, expect: 200)
            #expect(try await cluster.admin.get(Paths.namespace("team-b"))[path: ["spec", "finalizers"]] == ["kubernetes"])

            namespace = try await cluster.admin.get(Paths.namespace("team-b"))
            namespace[path: ["spec", "finalizers"]] = []
            try await cluster.admin.send("PUT", "\(Paths.namespace("team-b"))/finalize", namespace, expect: 200)
            #expect(try await cluster.admin.isGone(Paths.namespace("team-b")))
        }
    }

    @Test(arguments: ["default", "kube-system", "kube-public"])
    func systemNamespacesCannotBeDeleted(name: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                try await cluster.admin.request("DELETE", Paths.namespace(name), json: nil).expectFailure(403, "Forbidden")
            }
        }
    }

    @Test func aPodOnANodeIsDeletedGracefully() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.pods(), Manifests.pod("p", nodeName: "node-1"))
            let response = try await cluster.admin.request("DELETE", Paths.pod("p"), json: ["gracePeriodSeconds": 30])
            #expect([200, 202].contains(response.status), "\(response.text)")
            let stored = try await cluster.admin.get(Paths.pod("p"))
            #expect(stored.deletionTimestamp != nil)
            #expect(stored[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue == 30)
            // Grace period zero (kubectl delete --force --grace-period=0) removes it at once.
            try await cluster.admin.send("DELETE", Paths.pod("p"), ["gracePeriodSeconds": 0], expect: 200)
            #expect(try await cluster.admin.isGone(Paths.pod("p")))
        }
    }

    @Test func aPodBeingDeletedWaitsForItsNodeEvenWhenItsFinalizersAreGone() async throws {
        try await TestCluster.with { cluster in
            var pod = Manifests.pod("p", nodeName: "node-1")
            pod[path: ["metadata", "finalizers"]] = ["example.com/hold"]
            try await cluster.admin.create(Paths.pods(), pod)
            try await cluster.admin.send("DELETE", Paths.pod("p"), ["gracePeriodSeconds": 30], expect: 200)
            try await cluster.admin.patch(Paths.pod("p"), ["metadata": ["finalizers": .null]], contentType: MediaType.mergePatch)
            // The node has not confirmed yet: the pod stays, terminating.
            #expect(try await cluster.admin.get(Paths.pod("p")).deletionTimestamp != nil)
            // The node's final delete (grace 0) shortens the pending grace and removes it.
            try await cluster.admin.send("DELETE", Paths.pod("p"), ["gracePeriodSeconds": 0], expect: 200)
            #expect(try await cluster.admin.isGone(Paths.pod("p")))
        }
    }
}
