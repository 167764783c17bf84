import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// ServiceAccount admission through the API: namespaces come with a `default` account,
/// pods run as it unless they name another, and naming one that does not exist is refused.
@Suite struct ServiceAccountGatewayTests {
    @Test func podsRunAsTheDefaultAccountOfTheirNamespace() async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.namespaces, Manifests.namespace("team"))
            let account = try await cluster.admin.get("/api/v1/namespaces/team/serviceaccounts/default")
            #expect(account["metadata"]?["uid"] != nil)
            let pod = try await cluster.admin.create(Paths.pods(in: "team"), Manifests.pod("web"))
            #expect(pod[path: ["spec", "serviceAccountName"]] == "default")
            #expect(pod[path: ["spec", "serviceAccount"]] == "default")
            // A deleted default account is provided again when a pod needs it.
            _ = try await cluster.admin.send("DELETE", "/api/v1/namespaces/team/serviceaccounts/default", expect: 200)
            try await cluster.admin.create(Paths.pods(in: "team"), Manifests.pod("web2"))
            _ = try await cluster.admin.get("/api/v1/namespaces/team/serviceaccounts/default")
        }
    }

    @Test func anAccountThatDoesNotExistIsRefused() async throws {
        try await TestCluster.with { cluster in
            var pod = Manifests.pod("web")
            pod[path: ["spec", "serviceAccountName"]] = "builder"
            let status = try await cluster.admin.request("POST", Paths.pods(), json: pod).expectFailure(403, "Forbidden")
            #expect(status["message"]?.stringValue == #"pods "web" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found"#)
            try await cluster.admin.create("/api/v1/namespaces/default/serviceaccounts", ["metadata": ["name": "builder"]])
            let created = try await cluster.admin.create(Paths.pods(), pod)
            #expect(created[path: ["spec", "serviceAccountName"]] == "builder")
        }
    }
}
