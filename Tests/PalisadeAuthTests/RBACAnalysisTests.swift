import PalisadeAPI
import Testing

@testable import PalisadeAuth

/// who-can, access, risky and the namespaces a user may see, over one small cluster:
/// alice edits team-a, the group dev views team-b, an operator account escalates roles,
/// ops may read secrets everywhere, and a binding points at a missing role.
@Suite struct RBACAnalysisTests {
    static let policy = RBACPolicy(objects: [
        RBACFixture.clusterRole("edit", rules: [
            RBACFixture.rule(["get", "list", "create", "update", "delete"], resources: ["configmaps", "pods"]),
            RBACFixture.rule(["create"], resources: ["pods/exec"]),
        ]),
        RBACFixture.clusterRole("view", rules: [RBACFixture.rule(["get", "list"], resources: ["configmaps", "pods"])]),
        RBACFixture.clusterRole("secret-reader", rules: [RBACFixture.rule(["get"], resources: ["secrets"])]),
        RBACFixture.clusterRole("basic", rules: [RBACFixture.rule(["create"], groups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews"])]),
        RBACFixture.role("team-a", "escalator", rules: [RBACFixture.rule(["escalate", "bind"], groups: ["rbac.authorization.k8s.io"], resources: ["roles"])]),
        RBACFixture.roleBinding("team-a", "alice-edit", role: "edit", subjects: [RBACFixture.user("alice")]),
        RBACFixture.roleBinding("team-a", "operator", kind: "Role", role: "escalator", subjects: [
            ["kind": "ServiceAccount", "name": "operator", "namespace": "team-a"],
        ]),
        RBACFixture.roleBinding("team-b", "dev-view", role: "view", subjects: [RBACFixture.group("dev")]),
        RBACFixture.roleBinding("team-c", "broken", role: "missing", subjects: [RBACFixture.user("alice")]),
        RBACFixture.clusterRoleBinding("ops-secrets", role: "secret-reader", subjects: [RBACFixture.group("ops")]),
        RBACFixture.clusterRoleBinding("everyone-basic", role: "basic", subjects: [RBACFixture.group(UserInfo.authenticatedGroup)]),
    ])

    private func subjects(_ grants: [RBACPolicy.Grant]) -> [String] {
        grants.map { "\($0.source.subject.kind)/\($0.source.subject.name) via \($0.source.binding.name)" }
    }

    @Test func whoCanNamesEverySubjectWithItsBinding() {
        let createConfigMaps = Self.policy.subjects(allowedTo: "create", apiGroup: "", resource: "configmaps", namespace: "team-a")
        #expect(subjects(createConfigMaps) == ["User/alice via alice-edit"])
        #expect(createConfigMaps.first?.source.description == #"RoleBinding "alice-edit/team-a" of ClusterRole "edit" to User "alice""#)
        #expect(subjects(Self.policy.subjects(allowedTo: "create", apiGroup: "", resource: "configmaps", namespace: "team-b")).isEmpty)
        #expect(subjects(Self.policy.subjects(allowedTo: "list", apiGroup: "", resource: "pods", namespace: "team-b")) == ["Group/dev via dev-view"])
        // A ClusterRoleBinding holds in every namespace and at the cluster scope.
        #expect(subjects(Self.policy.subjects(allowedTo: "get", apiGroup: "", resource: "secrets", namespace: "team-b")) == ["Group/ops via ops-secrets"])
        #expect(subjects(Self.policy.subjects(allowedTo: "get", apiGroup: "", resource: "secrets", namespace: "")) == ["Group/ops via ops-secrets"])
        #expect(subjects(Self.policy.subjects(allowedTo: "create", apiGroup: "", resource: "pods/exec", namespace: "team-a")) == ["User/alice via alice-edit"])
    }

    @Test func accessListsTheRulesOfEveryBindingNamingTheUser() {
        let alice = Self.policy.grants(to: UserInfo(name: "alice", groups: ["dev", UserInfo.authenticatedGroup]))
        #expect(alice.map(\.source.binding.name) == ["everyone-basic", "alice-edit", "dev-view"])
        #expect(alice.map(\.namespace) == ["", "team-a", "team-b"])
        #expect(alice[1].rules.count == 2)
        // The binding to the missing role grants nothing and is not listed.
        #expect(!alice.contains { $0.source.binding.name == "broken" })
    }

    @Test func visibleNamespacesAreThoseWhereARoleBindingGrantsSomething() {
        #expect(Self.policy.namespacesGrantingAnything(to: UserInfo(name: "alice", groups: [UserInfo.authenticatedGroup])) == ["team-a"])
        #expect(Self.policy.namespacesGrantingAnything(to: UserInfo(name: "bob", groups: ["dev", UserInfo.authenticatedGroup])) == ["team-b"])
        #expect(Self.policy.namespacesGrantingAnything(to: UserInfo(name: "nobody", groups: [UserInfo.authenticatedGroup])) == [])
        // A cluster-wide grant on a namespaced resource holds in every namespace.
        #expect(Self.policy.namespacesGrantingAnything(to: UserInfo(name: "olga", groups: ["ops"])) == nil)
    }

    @Test func risksNameThePowerTheSubjectAndThePath() {
        let found = Self.policy.risks().map { "\($0.power.rawValue): \($0.source.subject.kind)/\($0.source.subject.name) via \($0.source.binding.name)" }
        #expect(found == [
            "escalate roles: ServiceAccount/operator via operator",
            "bind roles: ServiceAccount/operator via operator",
            "read secrets: Group/ops via ops-secrets",
            "exec/attach in pods: User/alice via alice-edit",
        ])
    }

    @Test func wildcardsAndClusterScopedPowersNeedTheRightBinding() {
        let policy = RBACPolicy(objects: [
            RBACFixture.clusterRole("all", rules: [RBACFixture.rule(["*"], groups: ["*"], resources: ["*"])]),
            RBACFixture.clusterRole("proxy", rules: [RBACFixture.rule(["get"], resources: ["nodes/proxy"])]),
            RBACFixture.clusterRole("pods", rules: [RBACFixture.rule(["create"], resources: ["pods"])]),
            RBACFixture.clusterRole("impersonator", rules: [RBACFixture.rule(["impersonate"], resources: ["users"], names: ["admin"])]),
            RBACFixture.clusterRoleBinding("root", role: "all", subjects: [RBACFixture.user("root")]),
            // nodes/proxy bound in a namespace grants nothing; cluster-wide it does.
            RBACFixture.roleBinding("team-a", "proxy-in-ns", role: "proxy", subjects: [RBACFixture.user("eve")]),
            RBACFixture.clusterRoleBinding("proxy", role: "proxy", subjects: [RBACFixture.user("mallory")]),
            // Creating pods is dangerous in kube-system only.
            RBACFixture.roleBinding("team-a", "pods", role: "pods", subjects: [RBACFixture.user("ann")]),
            RBACFixture.roleBinding("kube-system", "pods", role: "pods", subjects: [RBACFixture.user("ken")]),
            // Impersonating one user is still impersonation.
            RBACFixture.clusterRoleBinding("sudo", role: "impersonator", subjects: [RBACFixture.user("sam")]),
        ])
        let risks = policy.risks()
        func powers(_ user: String) -> [RBACPolicy.Power] { risks.filter { $0.source.subject.name == user }.map(\.power) }
        #expect(powers("root") == RBACPolicy.Power.allCases)
        #expect(powers("eve") == [])
        #expect(powers("mallory") == [.nodeProxy])
        #expect(powers("ann") == [])
        #expect(powers("ken") == [.createPodsInKubeSystem])
        #expect(powers("sam") == [.impersonate])
    }
}
