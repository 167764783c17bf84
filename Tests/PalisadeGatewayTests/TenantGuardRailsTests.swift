import PalisadeAPI
import PalisadeAuth
import Testing

@testable import PalisadeGateway

/// The guard rails' decision on its own: which writes it looks at, and that it fails closed.
@Suite struct TenantGuardRailsTests {
    struct ReadFailure: Error {}

    static let owner = UserInfo(name: "alice", groups: [UserInfo.authenticatedGroup])
    static let tenant: JSONValue = ["metadata": ["name": "team-a", "labels": ["palisade.dev/tenant": "team-a"]]]

    private func write(_ verb: String, _ resource: String, group: String = "", namespace: String = "team-a") -> AuthorizationAttributes {
        AuthorizationAttributes(user: Self.owner, verb: verb, isResourceRequest: true, apiGroup: group, resource: resource, namespace: namespace)
    }

    private func isDenied(_ decision: AuthorizationDecision) -> Bool {
        if case .deny = decision { return true }
        return false
    }

    @Test func onlyGuardRailWritesInTenantsAreDenied() async {
        let rails = TenantGuardRails(clusterWide: RBACAuthorizer(RBACPolicy())) { _ in Self.tenant }
        #expect(isDenied(await rails.authorize(write("delete", "networkpolicies", group: "networking.k8s.io"))))
        #expect(isDenied(await rails.authorize(write("create", "limitranges"))))
        #expect(isDenied(await rails.authorize(write("patch", "namespaces"))))
        #expect(!isDenied(await rails.authorize(write("get", "resourcequotas"))))
        #expect(!isDenied(await rails.authorize(write("create", "configmaps"))))
        let ordinary = TenantGuardRails(clusterWide: RBACAuthorizer(RBACPolicy())) { _ in ["metadata": ["name": "team-a"]] }
        #expect(!isDenied(await ordinary.authorize(write("delete", "networkpolicies", group: "networking.k8s.io"))))
    }

    @Test func aNamespaceThatCannotBeReadDeniesTheWrite() async {
        let rails = TenantGuardRails(clusterWide: RBACAuthorizer(RBACPolicy())) { _ in throw ReadFailure() }
        #expect(isDenied(await rails.authorize(write("delete", "resourcequotas"))))
        #expect(!isDenied(await rails.authorize(write("delete", "configmaps"))))
    }
}
