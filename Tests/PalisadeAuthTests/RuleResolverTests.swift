import PalisadeAPI
import Testing

@testable import PalisadeAuth

/// The rules resolved for users of the cluster built in `RBACAuthorizerTests.swift`.
private func user(_ name: String, _ groups: String...) -> UserInfo {
    UserInfo(name: name, groups: groups + [UserInfo.authenticatedGroup])
}

private let prodSA = RBACFixture.serviceAccountUser("prod", "app")

@Suite struct RuleResolverTests {
    @Test func clusterBindingsFirstThenNamespace() {
        let rules = rbacFixturePolicy.rules(for: user("alice", "admins"), namespace: "dev")
        #expect(rules.resourceRules == [
            PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
            PolicyRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "pods/log"]),
        ])
        #expect(rules.nonResourceRules == [PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])])
    }

    @Test func namespaceMatters() {
        #expect(rbacFixturePolicy.rules(for: user("alice"), namespace: "prod") == ([], []))
        #expect(rbacFixturePolicy.rules(for: user("alice"), namespace: "").resourceRules.isEmpty)
        let carol = rbacFixturePolicy.rules(for: user("carol"), namespace: "dev")
        #expect(carol.resourceRules == [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["nodes"])])
        #expect(carol.nonResourceRules == [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/healthz/*"])])
    }

    @Test func serviceAccountGroups() {
        let rules = rbacFixturePolicy.rules(for: prodSA, namespace: "prod").resourceRules
        #expect(rules == [
            PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"]),
            PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["services"]),
        ])
    }

    @Test func resolutionErrorsAreReported() {
        #expect(rbacFixturePolicy.rules(for: user("dave"), namespace: "dev") == ([], []))
        #expect(rbacFixturePolicy.resolutionErrors(for: user("dave"), namespace: "dev").map(\.description) == [
            #"clusterrole.rbac.authorization.k8s.io "does-not-exist" not found"#, #"role.rbac.authorization.k8s.io "nope" not found"#,
        ])
        #expect(rbacFixturePolicy.resolutionErrors(for: user("alice"), namespace: "dev").isEmpty)
    }

    @Test func authorizerExposesRules() async {
        let rules = await RBACAuthorizer(rbacFixturePolicy).rules(for: user("bob"), namespace: "")
        #expect(rules.resourceRules.count == 1)
        #expect(rules.nonResourceRules.count == 1)
    }

    @Test func ruleWithResourcesAndURLsIsListedTwice() {
        let both = PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], nonResourceURLs: ["/x"])
        var policy = RBACPolicy()
        policy.apply(kind: "ClusterRole", object: RBACFixture.clusterRole("both", rules: [both.json]))
        policy.apply(kind: "ClusterRoleBinding", object: RBACFixture.clusterRoleBinding("both", role: "both", subjects: [RBACFixture.user("u")]))
        let rules = policy.rules(for: UserInfo(name: "u"), namespace: "")
        #expect(rules.resourceRules == [both])
        #expect(rules.nonResourceRules == [both])
    }
}
