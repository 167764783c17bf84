import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// Discovery (aggregated and legacy), OpenAPI v3, version, health, and unknown paths.
@Suite struct DiscoveryTests {
    /// kubectl's discovery Accept.
    static let discoveryAccept = MediaType.aggregatedDiscovery
        + ",application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    static func get(_ cluster: TestCluster, _ path: String, accept: String? = nil) async throws -> PalisadeClient.Response {
        let response = try await cluster.admin.request("GET", path, headers: accept.map { [("Accept", $0)] } ?? [])
        try #require(response.status == 200, "\(path): \(response.text)")
        return response
    }

    /// The resource named `name` in the aggregated document's group `group`.
    static func aggregatedResource(_ document: JSONValue, group: String, name: String) -> JSONValue? {
        let item = document["items"]?.arrayValue?.first { $0[path: ["metadata", "name"]]?.stringValue == group }
        let version = item?["versions"]?.arrayValue?.first
        return version?["resources"]?.arrayValue?.first { $0["resource"]?.stringValue == name }
    }

    @Test func aggregatedCoreDiscovery() async throws {
        try await TestCluster.with { cluster in
            let response = try await Self.get(cluster, "/api", accept: Self.discoveryAccept)
            #expect(response.header("Content-Type") == [MediaType.aggregatedDiscovery])
            let document = try #require(response.json)
            #expect(document.kind == "APIGroupDiscoveryList")
            #expect(document.apiVersion == "apidiscovery.k8s.io/v2")
            #expect(document["items"]?.arrayValue?.count == 1)
            let pods = try #require(Self.aggregatedResource(document, group: "", name: "pods"))
            #expect(pods["shortNames"] == ["po"])
            #expect(pods["responseKind"] == ["group": "", "version": "v1", "kind": "Pod"])
            #expect(pods["scope"]?.stringValue == "Namespaced")
            #expect(pods["categories"] == ["all"])
            #expect(pods["verbs"]?.arrayValue?.contains("watch") == true)
            let subresources = pods["subresources"]?.arrayValue?.compactMap { $0["subresource"]?.stringValue } ?? []
            #expect(Set(subresources).isSuperset(of: ["status", "binding", "log"]))
            let namespaces = try #require(Self.aggregatedResource(document, group: "", name: "namespaces"))
            #expect(namespaces["scope"]?.stringValue == "Cluster")
            #expect(namespaces["shortNames"] == ["ns"])
        }
    }

    @Test func aggregatedGroupDiscovery() async throws {
        try await TestCluster.with { cluster in
            let response = try await Self.get(cluster, "/apis", accept: Self.discoveryAccept)
            #expect(response.header("Content-Type") == [MediaType.aggregatedDiscovery])
            let document = try #require(response.json)
            let groups = document["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            #expect(Set(groups).isSuperset(of: ["apps", "batch", "rbac.authorization.k8s.io", "authorization.k8s.io", "authentication.k8s.io"]))
            #expect(!groups.contains(""))
            let deployments = try #require(Self.aggregatedResource(document, group: "apps", name: "deployments"))
            #expect(deployments["shortNames"] == ["deploy"])
            #expect(deployments["responseKind"] == ["group": "apps", "version": "v1", "kind": "Deployment"])
            let subresources = deployments["subresources"]?.arrayValue ?? []
            let scale = try #require(subresources.first { $0["subresource"]?.stringValue == "scale" })
            #expect(scale["responseKind"] == ["group": "autoscaling", "version": "v1", "kind": "Scale"])
            #expect(subresources.contains { $0["subresource"]?.stringValue == "status" })
            // Every resource and subresource has a responseKind, or kubectl drops it.
            for item in document["items"]?.arrayValue ?? [] {
                for resource in item["versions"]?.arrayValue?.flatMap({ $0["resources"]?.arrayValue ?? [] }) ?? [] {
                    #expect(resource["responseKind"]?["kind"]?.stringValue?.isEmpty == false, "\(resource)")
                }
            }
        }
    }

    @Test func legacyDiscoveryDocuments() async throws {
        try await TestCluster.with { cluster in
            let versions = try #require(try await Self.get(cluster, "/api").json)
            #expect(versions.kind == "APIVersions")
            #expect(versions["versions"] == ["v1"])

            let groups = try #require(try await Self.get(cluster, "/apis").json)
            #expect(groups.kind == "APIGroupList")
            let apps = try #require(groups["groups"]?.arrayValue?.first { $0["name"]?.stringValue == "apps" })
            #expect(apps["preferredVersion"] == ["groupVersion": "apps/v1", "version": "v1"])

            let core = try #require(try await Self.get(cluster, "/api/v1").json)
            #expect(core.kind == "APIResourceList")
            #expect(core["groupVersion"]?.stringValue == "v1")
            let names = core["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(Set(names).isSuperset(of: ["pods", "pods/status", "pods/binding", "pods/log", "namespaces", "configmaps"]))

            let appsList = try #require(try await Self.get(cluster, "/apis/apps/v1").json)
            let scale = try #require(appsList["resources"]?.arrayValue?.first { $0["name"]?.stringValue == "deployments/scale" })
            #expect(scale["group"]?.stringValue == "autoscaling" && scale["kind"]?.stringValue == "Scale")

            let group = try #require(try await Self.get(cluster, "/apis/apps").json)
            #expect(group.kind == "APIGroup" && group["name"]?.stringValue == "apps")
        }
    }

    @Test func versionReportsKubernetes132() async throws {
        try await TestCluster.with { cluster in
            let version = try #require(try await Self.get(cluster, "/version?timeout=5s").json)
            #expect(version["major"]?.stringValue == "1")
            #expect(version["minor"]?.stringValue == "32")
            #expect(version["gitVersion"]?.stringValue?.hasPrefix("v1.32.") == true)
        }
    }

    @Test(arguments: ["/healthz", "/livez", "/readyz"])
    func healthEndpointsSayOK(path: String) async throws {
        try await TestCluster.with { cluster in
            let body = try await Self.get(cluster, path).text
            #expect(body == "ok")
        }
    }

    @Test func openAPIv3IndexAndGroupVersionDocument() async throws {
        try await TestCluster.with { cluster in
            let index = try #require(try await Self.get(cluster, "/openapi/v3").json)
            let paths = index["paths"]?.objectValue ?? [:]
            #expect(paths["api/v1"] != nil)
            let url = try #require(paths["apis/apps/v1"]?["serverRelativeURL"]?.stringValue)
            #expect(url.hasPrefix("/openapi/v3/apis/apps/v1?hash="))

            let document = try #require(try await Self.get(cluster, url + "&timeout=32s").json)
            let operations = (document["paths"]?.objectValue ?? [:]).values.compactMap { $0["patch"] }
            let patch = try #require(operations.first { $0["x-kubernetes-group-version-kind"]?["kind"]?.stringValue == "Deployment" })
            #expect(patch["x-kubernetes-group-version-kind"] == ["group": "apps", "version": "v1", "kind": "Deployment"])
            let parameters = patch["parameters"]?.arrayValue ?? []
            #expect(parameters.contains { $0["name"]?.stringValue == "fieldValidation" && $0["in"]?.stringValue == "query" })
        }
    }

    @Test(arguments: ["/nope", "/api/v2", "/apis/nope.example.com", "/apis/apps/v2", "/openapi/v3/apis/nope/v1", "/openapi/v2"])
    func anUnknownPathIsNotFound(path: String) async throws {
        try await TestCluster.with { cluster in
            let status = try await cluster.admin.request("GET", path, json: nil).expectFailure(404, "NotFound")
            #expect(status.message == "the server could not find the requested resource")
        }
    }

    @Test(arguments: [
        "/api/v1/namespaces/default/foos", "/api/v1/foos", "/apis/apps/v1/namespaces/default/widgets/w",
        "/apis/nope.example.com/v1/things", "/apis/apps/v2/deployments", "/api/v1/namespaces/default/pods/p/exec-nope",
        "/api/v1/namespaces/default/nodes",
    ])
    func anUnknownResourceIsNotFound(path: String) async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.admin.request("GET", path, json: nil).expectFailure(404, "NotFound")
        }
    }

    @Test(arguments: [
        ("PUT", Paths.configMaps(), MediaType.json), ("POST", Paths.configMap("cfg"), MediaType.json),
        ("PATCH", Paths.configMaps(), MediaType.mergePatch),
    ])
    func aVerbTheCollectionOrObjectDoesNotServeIsMethodNotAllowed(method: String, path: String, contentType: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                let response = try await cluster.admin.request(method, path, json: Manifests.configMap("cfg"), contentType: contentType)
                try response.expectFailure(405, "MethodNotAllowed")
            }
        }
    }
}
