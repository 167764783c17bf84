import PalisadeAPI
import Testing

@testable import PalisadeAuth

struct CoversCase: Sendable, CustomTestStringConvertible {
    let label: String
    let owner: [PolicyRule]
    let requested: [PolicyRule]
    let covered: Bool
    var testDescription: String { label }
}

private func r(_ verbs: [String], _ groups: [String], _ resources: [String], names: [String] = []) -> PolicyRule {
    PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names)
}

private func u(_ verbs: [String], _ urls: [String]) -> PolicyRule {
    PolicyRule(verbs: verbs, nonResourceURLs: urls)
}

private let allVerbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "bind", "escalate"]

private let coversCases: [CoversCase] = [
    .init(label: "same rule", owner: [r(["get"], [""], ["pods"])], requested: [r(["get"], [""], ["pods"])], covered: true),
    .init(label: "nothing requested", owner: [], requested: [], covered: true),
    .init(label: "no owner rules", owner: [], requested: [r(["get"], [""], ["pods"])], covered: false),
    .init(label: "owner * verbs", owner: [r(["*"], [""], ["pods"])], requested: [r(["get", "delete"], [""], ["pods"])], covered: true),
    .init(label: "missing one verb", owner: [r(["get", "list"], [""], ["pods"])], requested: [r(["get", "list", "watch"], [""], ["pods"])],
          covered: false),
    .init(label: "verbs split across owner rules", owner: [r(["get"], [""], ["pods"]), r(["list"], [""], ["pods"])],
          requested: [r(["get", "list"], [""], ["pods"])], covered: true),
    .init(label: "owner * groups", owner: [r(["get"], ["*"], ["deployments"])], requested: [r(["get"], ["apps", "extensions"], ["deployments"])],
          covered: true),
    .init(label: "other group", owner: [r(["get"], [""], ["deployments"])], requested: [r(["get"], ["apps"], ["deployments"])], covered: false),
    .init(label: "owner * resources covers subresources", owner: [r(["get"], [""], ["*"])], requested: [r(["get"], [""], ["pods/log", "pods"])],
          covered: true),
    .init(label: "pods does not cover pods/log", owner: [r(["get"], [""], ["pods"])], requested: [r(["get"], [""], ["pods/log"])], covered: false),
    .init(label: "*/status covers deployments/status", owner: [r(["update"], ["apps"], ["*/status"])],
          requested: [r(["update"], ["apps"], ["deployments/status"])], covered: true),
    .init(label: "*/status does not cover deployments", owner: [r(["update"], ["apps"], ["*/status"])],
          requested: [r(["update"], ["apps"], ["deployments"])], covered: false),
    .init(label: "requested * verbs need owner *", owner: [r(allVerbs, [""], ["pods"])], requested: [r(["*"], [""], ["pods"])], covered: false),
    .init(label: "requested * verbs, owner *", owner: [r(["*"], [""], ["pods"])], requested: [r(["*"], [""], ["pods"])], covered: true),
    .init(label: "requested * resources need owner *", owner: [r(["get"], [""], ["pods", "services"])], requested: [r(["get"], [""], ["*"])],
          covered: false),
    .init(label: "requested * group needs owner *", owner: [r(["get"], ["", "apps"], ["pods"])], requested: [r(["get"], ["*"], ["pods"])],
          covered: false),
    .init(label: "requested */status needs owner */status or *", owner: [r(["get"], [""], ["pods/status"])],
          requested: [r(["get"], [""], ["*/status"])], covered: false),
    .init(label: "owner name covers that name", owner: [r(["get"], [""], ["secrets"], names: ["a", "b"])],
          requested: [r(["get"], [""], ["secrets"], names: ["a"])], covered: true),
    .init(label: "owner name does not cover another", owner: [r(["get"], [""], ["secrets"], names: ["a"])],
          requested: [r(["get"], [""], ["secrets"], names: ["b"])], covered: false),
    .init(label: "owner names do not cover all names", owner: [r(["get"], [""], ["secrets"], names: ["a"])],
          requested: [r(["get"], [""], ["secrets"])], covered: false),
    .init(label: "owner without names covers names", owner: [r(["get"], [""], ["secrets"])],
          requested: [r(["get"], [""], ["secrets"], names: ["a"])], covered: true),
    .init(label: "exact URL", owner: [u(["get"], ["/healthz"])], requested: [u(["get"], ["/healthz"])], covered: true),
    .init(label: "URL prefix covers below", owner: [u(["get"], ["/healthz/*"])], requested: [u(["get"], ["/healthz/etcd"])], covered: true),
    .init(label: "URL prefix not the parent", owner: [u(["get"], ["/healthz/*"])], requested: [u(["get"], ["/healthz"])], covered: false),
    .init(label: "URL * covers all", owner: [u(["*"], ["*"])], requested: [u(["get", "post"], ["/metrics", "/logs/x"])], covered: true),
    .init(label: "requested URL pattern needs a wider pattern", owner: [u(["get"], ["/api"])], requested: [u(["get"], ["/api/*"])],
          covered: false),
    .init(label: "wider URL pattern covers a pattern", owner: [u(["get"], ["/*"])], requested: [u(["get"], ["/api/*"])], covered: true),
    .init(label: "resource rules do not cover URLs", owner: [r(["*"], ["*"], ["*"])], requested: [u(["get"], ["/healthz"])], covered: false),
    .init(label: "URL rules do not cover resources", owner: [u(["*"], ["*"])], requested: [r(["get"], [""], ["pods"])], covered: false),
    .init(label: "full authority covers anything", owner: EscalationCheck.fullAuthority,
          requested: [r(["*"], ["*"], ["*"]), u(["*"], ["*"]), r(["escalate"], ["rbac.authorization.k8s.io"], ["roles"], names: ["x"])],
          covered: true),
    .init(label: "verbs on cluster-admin but no URLs", owner: [r(["*"], ["*"], ["*"])], requested: EscalationCheck.fullAuthority,
          covered: false),
]

@Suite struct EscalationCheckTests {
    @Test(arguments: coversCases)
    func covers(_ row: CoversCase) {
        let result = EscalationCheck.covers(row.owner, row.requested)
        #expect(result.covered == row.covered)
        #expect(result.missing.isEmpty == row.covered)
    }

    @Test func missingRulesAreAtomic() {
        let owner = [r(["get", "list"], [""], ["pods"]), u(["get"], ["/healthz"])]
        let requested = [
            r(["get", "watch"], ["", "apps"], ["pods"], names: ["a"]),
            u(["get", "post"], ["/healthz"]),
        ]
        let result = EscalationCheck.covers(owner, requested)
        #expect(!result.covered)
        #expect(result.missing == [
            r(["watch"], [""], ["pods"], names: ["a"]),
            r(["get"], ["apps"], ["pods"], names: ["a"]),
            r(["watch"], ["apps"], ["pods"], names: ["a"]),
            u(["post"], ["/healthz"]),
        ])
    }

    @Test func breakdown() {
        #expect(EscalationCheck.breakdown(r(["get", "list"], ["", "apps"], ["x"])).count == 4)
        #expect(EscalationCheck.breakdown(r(["get"], [""], ["x", "y"], names: ["a", "b", "c"])).count == 6)
        #expect(EscalationCheck.breakdown(u(["get", "post"], ["/a", "/b"])).count == 4)
        // A rule with no verbs grants nothing, so there is nothing to cover.
        #expect(EscalationCheck.breakdown(r([], [""], ["pods"])).isEmpty)
    }

    @Test func notHeldMessage() {
        let owner = [r(["get"], [""], ["pods"])]
        let requested = [r(["get", "list", "watch"], [""], ["pods", "secrets"]), u(["get"], ["/metrics"])]
        let missing = EscalationCheck.covers(owner, requested).missing
        #expect(EscalationCheck.compact(missing) == [
            r(["list", "watch"], [""], ["pods"]), r(["get", "list", "watch"], [""], ["secrets"]), u(["get"], ["/metrics"]),
        ])
        let user = UserInfo(name: "alice", groups: ["dev", UserInfo.authenticatedGroup])
        #expect(EscalationCheck.notHeldMessage(user: user, missing: missing) == """
            user "alice" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
            {APIGroups:[""], Resources:["pods"], Verbs:["list" "watch"]}
            {APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "watch"]}
            {NonResourceURLs:["/metrics"], Verbs:["get"]}
            """)
    }

    @Test func ownerRulesFromThePolicy() {
        let policy = RBACPolicy(objects: [
            RBACFixture.clusterRole("pod-admin", rules: [RBACFixture.rule(["*"], resources: ["pods", "pods/log"])]),
            RBACFixture.roleBinding("dev", "pod-admins", role: "pod-admin", subjects: [RBACFixture.user("alice")]),
        ])
        let alice = UserInfo(name: "alice")
        let request = [r(["get", "delete"], [""], ["pods"])]
        #expect(EscalationCheck.covers(policy.effectiveRules(for: alice, namespace: "dev"), request).covered)
        #expect(!EscalationCheck.covers(policy.effectiveRules(for: alice, namespace: "prod"), request).covered)
        #expect(!EscalationCheck.covers(policy.effectiveRules(for: alice, namespace: ""), request).covered)
    }
}
