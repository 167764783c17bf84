import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeTesting
import Testing

/// `Impersonate-*` headers: authorized with the `impersonate` verb, then the request acts as the impersonated user.
@Suite struct ImpersonationTests {
    static let whoami = "/apis/authentication.k8s.io/v1/selfsubjectreviews"

    @Test func anAdministratorActsAsTheImpersonatedUser() async throws {
        try await TestCluster.with { cluster in
            let asAlice = [("Impersonate-User", "alice")]
            let pods = try await cluster.admin.request("GET", Paths.pods(), body: nil, headers: asAlice)
            #expect(pods.status == 403)
            #expect(pods.json?["message"]?.stringValue?.contains(#"User "alice" cannot list resource "pods""#) == true)
            let review = try await cluster.admin.request(
                "POST", Self.whoami, body: JSONSerializer.bytes(["kind": "SelfSubjectReview"]),
                headers: [("Impersonate-User", "carol"), ("Impersonate-Group", "g1"), ("Impersonate-Group", "g2"), ("Impersonate-Uid", "u9")]
            )
            #expect(review.json?[path: ["status", "userInfo"]] == ["username": "carol", "uid": "u9", "groups": ["g1", "g2", "system:authenticated"]])
        }
    }

    @Test func impersonatingNeedsTheImpersonateVerb() async throws {
        try await TestCluster.with { cluster in
            try await cluster.expectNoWrites {
                let response = try await cluster.withClient(user: "bob") { bob in
                    try await bob.request("POST", Paths.configMaps(), body: JSONSerializer.bytes(Manifests.configMap("x")), headers: [("Impersonate-User", "palisade-admin")])
                }
                let status = try response.expectFailure(403, "Forbidden")
                #expect(status.message == #"users "palisade-admin" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope"#)
            }
        }
    }

    @Test func groupsWithoutAUserAreRefused() async throws {
        try await TestCluster.with { cluster in
            let response = try await cluster.admin.request("GET", Paths.pods(), body: nil, headers: [("Impersonate-Group", "system:masters")])
            _ = try response.expectFailure(400, "BadRequest")
        }
    }

    @Test func aServiceAccountUserGetsItsGroups() async throws {
        try await TestCluster.with { cluster in
            let review = try await cluster.admin.request(
                "POST", Self.whoami, body: JSONSerializer.bytes(["kind": "SelfSubjectReview"]),
                headers: [("Impersonate-User", "system:serviceaccount:default:builder")]
            )
            #expect(review.json?[path: ["status", "userInfo", "groups"]] == ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"])
        }
    }
}
