import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// Who may do what: client-certificate users, Forbidden Statuses, and the self-reviews.
@Suite struct AuthTests {
    /// kubectl 1.32's `auth whoami` body (kubectl-contract §9).
    static let whoamiProtobuf = [UInt8](hex: "6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200")

    static let selfSubjectReviews = "/apis/authentication.k8s.io/v1/selfsubjectreviews"
    static let selfSubjectAccessReviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

    @Test(arguments: [
        ("GET", Paths.configMaps(), #"configmaps is forbidden: User "eve" cannot list resource "configmaps" in API group "" in the namespace "default""#),
        ("GET", Paths.configMap("cfg"), #"configmaps "cfg" is forbidden: User "eve" cannot get resource "configmaps" in API group "" in the namespace "default""#),
        ("POST", Paths.deployments(), #"deployments.apps is forbidden: User "eve" cannot create resource "deployments" in API group "apps" in the namespace "default""#),
        ("DELETE", Paths.namespace("default"), #"namespaces "default" is forbidden: User "eve" cannot delete resource "namespaces" in API group "" in the namespace "default""#),
        ("GET", Paths.namespaces, #"namespaces is forbidden: User "eve" cannot list resource "namespaces" in API group "" at the cluster scope"#),
        ("GET", Paths.deployment("web") + "/scale", #"deployments.apps "web" is forbidden: User "eve" cannot get resource "deployments/scale" in API group "apps" in the namespace "default""#),
        ("GET", "/metrics", #"forbidden: User "eve" cannot get path "/metrics""#),
    ])
    func aUserWithoutPermissionIsForbidden(method: String, path: String, message: String) async throws {
        try await TestCluster.with { cluster in
            try await cluster.admin.create(Paths.configMaps(), Manifests.configMap("cfg"))
            try await cluster.expectNoWrites {
                let response = try await cluster.withClient(user: "eve") { eve in
                    try await eve.request(method, path, json: method == "GET" || method == "DELETE" ? nil : Manifests.deployment("web"))
                }
                let status = try response.expectFailure(403, "Forbidden")
                #expect(status.message == message)
            }
        }
    }

    @Test func aForbiddenStatusNamesTheObject() async throws {
        try await TestCluster.with { cluster in
            let status = try await cluster.withClient(user: "eve", groups: ["devs"]) { eve in
                try await eve.request("GET", Paths.deployment("web"), json: nil)
            }.expectFailure(403, "Forbidden")
            #expect(status[path: ["details", "name"]]?.stringValue == "web")
            #expect(status[path: ["details", "group"]]?.stringValue == "apps")
            #expect(status[path: ["details", "kind"]]?.stringValue == "deployments")
        }
    }

    @Test func aForbiddenWatchIsRefusedBeforeStreaming() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.withClient(user: "eve") { eve in
                try await eve.request("GET", Paths.configMaps() + "?watch=true", json: nil)
            }
            let status = try response.expectFailure(403, "Forbidden")
            #expect(status.message.contains("cannot watch resource \"configmaps\""), "\(status.message)")
        }
    }

    @Test func aMemberOfSystemMastersMayDoAnything() async throws {
        try await TestCluster.with { cluster in
            try await cluster.withClient(user: "alice", groups: ["system:masters"]) { alice in
                try await alice.create(Paths.configMaps(), Manifests.configMap("cfg"))
                try await alice.send("DELETE", Paths.configMap("cfg"), expect: 200)
            }
        }
    }

    @Test func selfSubjectReviewReturnsTheCaller() async throws {
        try await TestCluster.with { cluster in
            let review: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"]
            let answer = try await cluster.admin.send("POST", Self.selfSubjectReviews, review, expect: 201)
            #expect(answer.kind == "SelfSubjectReview")
            #expect(answer.apiVersion == "authentication.k8s.io/v1")
            let user = try #require(answer[path: ["status", "userInfo"]])
            #expect(user["username"]?.stringValue?.isEmpty == false)
            let groups = user["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(Set(groups).isSuperset(of: ["system:masters", "system:authenticated"]), "\(groups)")

            let alice = try await cluster.withClient(user: "alice", groups: ["system:masters", "devs"]) { alice in
                try await alice.send("POST", Self.selfSubjectReviews, review, expect: 201)
            }
            #expect(alice[path: ["status", "userInfo", "username"]]?.stringValue == "alice")
            #expect(alice[path: ["status", "userInfo", "groups"]] == ["system:masters", "devs", "system:authenticated"])
        }
    }

    @Test func selfSubjectReviewAcceptsKubectlsProtobufBody() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("POST", Self.selfSubjectReviews, body: Self.whoamiProtobuf, contentType: MediaType.protobuf)
            #expect(response.status == 201, "\(response.text)")
            #expect(response.json?[path: ["status", "userInfo", "groups"]]?.arrayValue?.contains("system:authenticated") == true)
        }
    }

    /// The default policy lets every authenticated user read discovery, version and health
    /// (system:discovery, system:public-info-viewer) and review themselves (system:basic-user).
    @Test(arguments: ["/version", "/api", "/apis", "/apis/apps/v1", "/healthz", "/openapi/v3"])
    func everyAuthenticatedUserMayReadPublicInformation(path: String) async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.withClient(user: "eve") { eve in try await eve.request("GET", path, json: nil) }
            #expect(response.status == 200, "\(response.text)")
        }
    }

    @Test func everyAuthenticatedUserMayReviewThemselves() async throws {
        try await TestCluster.with { cluster in
            let (whoami, access) = try await cluster.withClient(user: "eve", groups: ["devs"]) { eve in
                let whoami = try await eve.request("POST", Self.selfSubjectReviews, json: ["kind": "SelfSubjectReview"])
                let access = try await eve.request("POST", Self.selfSubjectAccessReviews, json: [
                    "kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                    "spec": ["resourceAttributes": ["namespace": "default", "verb": "get", "resource": "pods"]],
                ])
                return (whoami, access)
            }
            #expect(whoami.status == 201, "\(whoami.text)")
            #expect(whoami.json?[path: ["status", "userInfo", "username"]]?.stringValue == "eve")
            #expect(whoami.json?[path: ["status", "userInfo", "groups"]] == ["devs", "system:authenticated"])
            #expect(access.status == 201, "\(access.text)")
            #expect(access.json?[path: ["status", "allowed"]] == false)
        }
    }

    @Test(arguments: [
        (["resourceAttributes": ["namespace": "default", "verb": "get", "resource": "pods"]] as JSONValue, true),
        (["resourceAttributes": ["verb": "create", "group": "apps", "resource": "deployments", "subresource": "scale"]] as JSONValue, true),
        (["nonResourceAttributes": ["path": "/healthz", "verb": "get"]] as JSONValue, true),
    ])
    func selfSubjectAccessReviewForAdminIsAllowed(spec: JSONValue, allowed: Bool) async throws {
        try await TestCluster.with { cluster in
            let review: JSONValue = ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": spec]
            let answer = try await cluster.admin.send("POST", Self.selfSubjectAccessReviews, review, expect: 201)
            #expect(answer.kind == "SelfSubjectAccessReview")
            #expect(answer["spec"] == spec)
            #expect(answer[path: ["status", "allowed"]]?.boolValue == allowed)
        }
    }

    @Test func aSelfSubjectAccessReviewWithoutAttributesIsInvalid() async throws {
        try await TestCluster.with { cluster in
            let review: JSONValue = ["kind": "SelfSubjectAccessReview", "spec": .emptyObject]
            let status = try await cluster.admin.request("POST", Self.selfSubjectAccessReviews, json: review).expectFailure(422, "Invalid")
            #expect(status.causeFields == ["spec.resourceAttributes"])
        }
    }

    @Test func reviewsAreNotStored() async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                try await cluster.admin.send("POST", Self.selfSubjectReviews, ["kind": "SelfSubjectReview"], expect: 201)
                try await cluster.admin.send("POST", Self.selfSubjectAccessReviews, [
                    "kind": "SelfSubjectAccessReview", "spec": ["nonResourceAttributes": ["path": "/version", "verb": "get"]],
                ], expect: 201)
            }
            try await cluster.admin.request("GET", Self.selfSubjectReviews, json: nil).expectFailure(405, "MethodNotAllowed")
        }
    }
}
