import PalisadeAPI
import Testing

@testable import PalisadeAuth

/// One row: does `rule` allow `request`?
struct RuleMatchCase: Sendable, CustomTestStringConvertible {
    let label: String
    let rule: PolicyRule
    let request: AuthorizationAttributes
    let allowed: Bool

    var testDescription: String { label }
}

private let someone = UserInfo(name: "someone")
private let standardVerbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]

private func resources(_ verbs: [String], _ groups: [String], _ resources: [String], names: [String] = []) -> PolicyRule {
    PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names)
}

private func urls(_ verbs: [String], _ urls: [String]) -> PolicyRule {
    PolicyRule(verbs: verbs, nonResourceURLs: urls)
}

private func request(
    _ verb: String, _ resource: String, sub: String = "", group: String = "", name: String = ""
) -> AuthorizationAttributes {
    RBACFixture.request(someone, verb, resource, subresource: sub, group: group, namespace: "default", name: name)
}

private func path(_ verb: String, _ path: String) -> AuthorizationAttributes {
    RBACFixture.path(someone, verb, path)
}

private let verbCases: [RuleMatchCase] = [
    .init(label: "exact verb", rule: resources(["get"], [""], ["pods"]), request: request("get", "pods"), allowed: true),
    .init(label: "other verb", rule: resources(["get"], [""], ["pods"]), request: request("list", "pods"), allowed: false),
    .init(label: "* verb", rule: resources(["*"], [""], ["pods"]), request: request("deletecollection", "pods"), allowed: true),
    .init(label: "verbs are case-sensitive", rule: resources(["get"], [""], ["pods"]), request: request("GET", "pods"), allowed: false),
    .init(label: "no verbs", rule: resources([], [""], ["pods"]), request: request("get", "pods"), allowed: false),
    .init(label: "escalate not in standard verbs", rule: resources(standardVerbs, ["rbac.authorization.k8s.io"], ["roles"]),
          request: request("escalate", "roles", group: "rbac.authorization.k8s.io"), allowed: false),
    .init(label: "bind not in standard verbs", rule: resources(standardVerbs, ["rbac.authorization.k8s.io"], ["clusterroles"]),
          request: request("bind", "clusterroles", group: "rbac.authorization.k8s.io"), allowed: false),
    .init(label: "impersonate not in standard verbs", rule: resources(standardVerbs, [""], ["users"]),
          request: request("impersonate", "users"), allowed: false),
    .init(label: "custom verb exact", rule: resources(["frobnicate"], ["example.com"], ["widgets"]),
          request: request("frobnicate", "widgets", group: "example.com"), allowed: true),
    .init(label: "custom verb prefix", rule: resources(["frobnicate"], ["example.com"], ["widgets"]),
          request: request("frob", "widgets", group: "example.com"), allowed: false),
    .init(label: "verb * is not a glob", rule: resources(["get*"], [""], ["pods"]), request: request("get", "pods"), allowed: false),
]

private let groupCases: [RuleMatchCase] = [
    .init(label: "core rule, apps request", rule: resources(["get"], [""], ["deployments"]),
          request: request("get", "deployments", group: "apps"), allowed: false),
    .init(label: "apps rule, apps request", rule: resources(["get"], ["apps"], ["deployments"]),
          request: request("get", "deployments", group: "apps"), allowed: true),
    .init(label: "apps rule, core request", rule: resources(["get"], ["apps"], ["pods"]), request: request("get", "pods"), allowed: false),
    .init(label: "* group", rule: resources(["get"], ["*"], ["jobs"]), request: request("get", "jobs", group: "batch"), allowed: true),
    .init(label: "* group, core", rule: resources(["get"], ["*"], ["pods"]), request: request("get", "pods"), allowed: true),
    .init(label: "no groups", rule: resources(["get"], [], ["pods"]), request: request("get", "pods"), allowed: false),
]

private let resourceCases: [RuleMatchCase] = [
    .init(label: "* covers subresources", rule: resources(["get"], [""], ["*"]), request: request("get", "pods", sub: "log"), allowed: true),
    .init(label: "pods does not match pods/log", rule: resources(["get"], [""], ["pods"]),
          request: request("get", "pods", sub: "log"), allowed: false),
    .init(label: "pods/log matches pods/log", rule: resources(["get"], [""], ["pods/log"]),
          request: request("get", "pods", sub: "log"), allowed: true),
    .init(label: "pods/log does not match pods", rule: resources(["get"], [""], ["pods/log"]), request: request("get", "pods"), allowed: false),
    .init(label: "*/status matches deployments/status", rule: resources(["update"], ["apps"], ["*/status"]),
          request: request("update", "deployments", sub: "status", group: "apps"), allowed: true),
    .init(label: "*/status does not match deployments", rule: resources(["update"], ["apps"], ["*/status"]),
          request: request("update", "deployments", group: "apps"), allowed: false),
    .init(label: "*/status does not match pods/log", rule: resources(["get"], [""], ["*/status"]),
          request: request("get", "pods", sub: "log"), allowed: false),
    .init(label: "*/status does not match pods/statusx", rule: resources(["get"], [""], ["*/status"]),
          request: request("get", "pods", sub: "statusx"), allowed: false),
    .init(label: "deployments/scale", rule: resources(["update"], ["apps"], ["deployments/scale"]),
          request: request("update", "deployments", sub: "scale", group: "apps"), allowed: true),
    .init(label: "deployments does not match scale", rule: resources(["update"], ["apps"], ["deployments"]),
          request: request("update", "deployments", sub: "scale", group: "apps"), allowed: false),
    .init(label: "no pods/* form", rule: resources(["get"], [""], ["pods/*"]), request: request("get", "pods", sub: "log"), allowed: false),
    .init(label: "resources are case-sensitive", rule: resources(["get"], [""], ["Pods"]), request: request("get", "pods"), allowed: false),
    .init(label: "one of several resources", rule: resources(["get"], [""], ["services", "pods"]), request: request("get", "pods"), allowed: true),
]

private let nameCases: [RuleMatchCase] = [
    .init(label: "get listed name", rule: resources(["get"], [""], ["configmaps"], names: ["web"]),
          request: request("get", "configmaps", name: "web"), allowed: true),
    .init(label: "get other name", rule: resources(["get"], [""], ["configmaps"], names: ["web"]),
          request: request("get", "configmaps", name: "db"), allowed: false),
    .init(label: "list without name", rule: resources(["list"], [""], ["configmaps"], names: ["web"]),
          request: request("list", "configmaps"), allowed: false),
    .init(label: "list with name field selector", rule: resources(["list"], [""], ["configmaps"], names: ["web"]),
          request: request("list", "configmaps", name: "web"), allowed: true),
    .init(label: "watch with name field selector", rule: resources(["watch"], [""], ["configmaps"], names: ["web"]),
          request: request("watch", "configmaps", name: "web"), allowed: true),
    .init(label: "create has no name", rule: resources(["create"], [""], ["configmaps"], names: ["web"]),
          request: request("create", "configmaps"), allowed: false),
    .init(label: "deletecollection has no name", rule: resources(["deletecollection"], [""], ["configmaps"], names: ["web"]),
          request: request("deletecollection", "configmaps"), allowed: false),
    .init(label: "no names means any", rule: resources(["list"], [""], ["configmaps"]), request: request("list", "configmaps"), allowed: true),
    .init(label: "names with subresource", rule: resources(["update"], ["apps"], ["deployments/scale"], names: ["web"]),
          request: request("update", "deployments", sub: "scale", group: "apps", name: "web"), allowed: true),
]

private let nonResourceCases: [RuleMatchCase] = [
    .init(label: "exact path", rule: urls(["get"], ["/healthz"]), request: path("get", "/healthz"), allowed: true),
    .init(label: "exact does not prefix", rule: urls(["get"], ["/healthz"]), request: path("get", "/healthz/etcd"), allowed: false),
    .init(label: "trailing * prefix", rule: urls(["get"], ["/healthz/*"]), request: path("get", "/healthz/etcd"), allowed: true),
    .init(label: "trailing * needs the slash", rule: urls(["get"], ["/healthz/*"]), request: path("get", "/healthz"), allowed: false),
    .init(label: "prefix without slash", rule: urls(["get"], ["/apis*"]), request: path("get", "/apis/apps/v1"), allowed: true),
    .init(label: "* path", rule: urls(["get"], ["*"]), request: path("get", "/metrics"), allowed: true),
    .init(label: "other verb", rule: urls(["get"], ["/healthz"]), request: path("post", "/healthz"), allowed: false),
    .init(label: "* in the middle is literal", rule: urls(["get"], ["/api/*/status"]), request: path("get", "/api/v1/status"), allowed: false),
    .init(label: "URL rule never matches a resource", rule: urls(["*"], ["*"]), request: request("get", "pods"), allowed: false),
    .init(label: "resource rule never matches a URL", rule: resources(["*"], ["*"], ["*"]), request: path("get", "/healthz"), allowed: false),
]

@Suite struct PolicyRuleMatchingTests {
    @Test(arguments: verbCases + groupCases)
    func verbsAndGroups(_ row: RuleMatchCase) {
        #expect(row.rule.allows(row.request) == row.allowed)
    }

    @Test(arguments: resourceCases)
    func resourcesAndSubresources(_ row: RuleMatchCase) {
        #expect(row.rule.allows(row.request) == row.allowed)
    }

    @Test(arguments: nameCases)
    func resourceNames(_ row: RuleMatchCase) {
        #expect(row.rule.allows(row.request) == row.allowed)
    }

    @Test(arguments: nonResourceCases)
    func nonResourceURLs(_ row: RuleMatchCase) {
        #expect(row.rule.allows(row.request) == row.allowed)
    }

    @Test func anyRuleOfASequence() {
        let rules = [resources(["get"], [""], ["pods"]), urls(["get"], ["/healthz"])]
        #expect(rules.allow(request("get", "pods")))
        #expect(rules.allow(path("get", "/healthz")))
        #expect(!rules.allow(request("list", "pods")))
    }

    @Test func jsonRoundTrip() {
        let json: JSONValue = [
            "verbs": ["get", "list"], "apiGroups": ["", "apps"], "resources": ["deployments", "deployments/scale"],
            "resourceNames": ["web"],
        ]
        let rule = PolicyRule(json: json)
        #expect(rule == PolicyRule(verbs: ["get", "list"], apiGroups: ["", "apps"], resources: ["deployments", "deployments/scale"], resourceNames: ["web"]))
        #expect(rule.json == json)
        #expect(PolicyRule(json: ["nonResourceURLs": ["/healthz"], "verbs": ["get"]]).json == ["nonResourceURLs": ["/healthz"], "verbs": ["get"]])
        #expect(PolicyRule(json: [:]).json == ["verbs": []])
        #expect(PolicyRule.rules(from: [["verbs": ["get"]], "junk", 3]) == [PolicyRule(verbs: ["get"])])
    }

    @Test func compactDescription() {
        let rule = PolicyRule(verbs: ["get", "list"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"])
        #expect(rule.description == #"{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get" "list"]}"#)
        #expect(urls(["get"], ["/healthz"]).description == #"{NonResourceURLs:["/healthz"], Verbs:["get"]}"#)
    }
}
