import PalisadeAPI
import Testing

@testable import PalisadeAuth

private typealias F = RBACFixture

private let toView = "rbac.authorization.k8s.io/aggregate-to-view"
private let toEdit = "rbac.authorization.k8s.io/aggregate-to-edit"
private let toAdmin = "rbac.authorization.k8s.io/aggregate-to-admin"

private let readPods = PolicyRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "services"])
private let writePods = PolicyRule(verbs: ["create", "delete", "patch", "update"], apiGroups: [""], resources: ["pods"])
private let readWidgets = PolicyRule(verbs: ["get"], apiGroups: ["example.com"], resources: ["widgets"])
private let writeRoles = PolicyRule(verbs: ["*"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"])

/// Kubernetes' admin → edit → view chain, with stored rules left empty on the aggregated roles.
private let defaultRoles: [JSONValue] = [
    F.clusterRole("admin", selectors: [F.matchLabels([toAdmin: "true"])]),
    F.clusterRole("edit", labels: [toAdmin: "true"], selectors: [F.matchLabels([toEdit: "true"])]),
    F.clusterRole("view", labels: [toEdit: "true"], selectors: [F.matchLabels([toView: "true"])]),
    F.clusterRole("system:aggregate-to-admin", labels: [toAdmin: "true"], rules: [writeRoles.json]),
    // The duplicate read rule must appear once in edit and admin.
    F.clusterRole("system:aggregate-to-edit", labels: [toEdit: "true"], rules: [writePods.json, readPods.json]),
    F.clusterRole("system:aggregate-to-view", labels: [toView: "true"], rules: [readPods.json]),
    F.clusterRole("zz-widgets-view", labels: [toView: "true"], rules: [readWidgets.json]),
    F.clusterRole("unlabelled", rules: [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]).json]),
]

private func clusterRoles(_ objects: [JSONValue]) -> [String: RBACPolicy.ClusterRole] {
    Dictionary(uniqueKeysWithValues: objects.map { ($0.name ?? "", RBACPolicy.ClusterRole(json: $0)) })
}

struct SelectorCase: Sendable, CustomTestStringConvertible {
    let label: String
    let selector: JSONValue
    let selected: [String]
    var testDescription: String { label }
}

private let labelled: [JSONValue] = [
    F.clusterRole("a", labels: ["tier": "web", "team": "x"], rules: [F.rule(["get"], resources: ["a"])]),
    F.clusterRole("b", labels: ["tier": "db"], rules: [F.rule(["get"], resources: ["b"])]),
    F.clusterRole("c", labels: [:], rules: [F.rule(["get"], resources: ["c"])]),
]

private let selectorCases: [SelectorCase] = [
    .init(label: "matchLabels", selector: F.matchLabels(["tier": "web"]), selected: ["a"]),
    .init(label: "matchLabels, two keys", selector: F.matchLabels(["tier": "web", "team": "y"]), selected: []),
    .init(label: "In", selector: ["matchExpressions": [["key": "tier", "operator": "In", "values": ["web", "db"]]]], selected: ["a", "b"]),
    .init(label: "NotIn includes unlabelled", selector: ["matchExpressions": [["key": "tier", "operator": "NotIn", "values": ["web"]]]],
          selected: ["b", "c"]),
    .init(label: "Exists", selector: ["matchExpressions": [["key": "team", "operator": "Exists"]]], selected: ["a"]),
    .init(label: "DoesNotExist", selector: ["matchExpressions": [["key": "tier", "operator": "DoesNotExist"]]], selected: ["c"]),
    .init(label: "labels and expressions together",
          selector: ["matchLabels": ["tier": "web"], "matchExpressions": [["key": "team", "operator": "NotIn", "values": ["x"]]]],
          selected: []),
    .init(label: "empty selector selects every other role", selector: [:], selected: ["a", "b", "c"]),
]

@Suite struct ClusterRoleAggregationTests {
    @Test func adminEditViewChain() {
        let rules = ClusterRoleAggregation.aggregatedRules(of: clusterRoles(defaultRoles))
        #expect(Set(rules.keys) == ["admin", "edit", "view"])
        #expect(rules["view"] == [readPods, readWidgets])
        // Selected roles in name order: system:aggregate-to-edit, then view.
        #expect(rules["edit"] == [writePods, readPods, readWidgets])
        // edit before system:aggregate-to-admin.
        #expect(rules["admin"] == [writePods, readPods, readWidgets, writeRoles])
    }

    @Test func evaluationUsesAggregatedRules() {
        let policy = RBACPolicy(objects: defaultRoles + [
            F.roleBinding("dev", "admins", role: "admin", subjects: [F.user("ann")]),
            F.roleBinding("dev", "viewers", role: "view", subjects: [F.user("vic")]),
        ])
        let ann = UserInfo(name: "ann"), vic = UserInfo(name: "vic")
        #expect(policy.authorize(F.request(ann, "delete", "pods", namespace: "dev", name: "p")).isAllowed)
        #expect(policy.authorize(F.request(ann, "get", "widgets", group: "example.com", namespace: "dev", name: "w")).isAllowed)
        #expect(policy.authorize(F.request(ann, "create", "rolebindings", group: "rbac.authorization.k8s.io", namespace: "dev")).isAllowed)
        #expect(policy.authorize(F.request(vic, "list", "services", namespace: "dev")).isAllowed)
        #expect(!policy.authorize(F.request(vic, "delete", "pods", namespace: "dev", name: "p")).isAllowed)
        #expect(!policy.authorize(F.request(vic, "get", "rolebindings", group: "rbac.authorization.k8s.io", namespace: "dev")).isAllowed)
        #expect(policy.effectiveRules(ofClusterRole: "view") == [readPods, readWidgets])
        #expect(policy.effectiveRules(ofClusterRole: "unlabelled")?.count == 1)
        #expect(policy.effectiveRules(ofClusterRole: "missing") == nil)
    }

    @Test func pendingUpdatesListOnlyStaleRoles() {
        var objects = defaultRoles
        objects[2] = F.clusterRole("view", labels: [toEdit: "true"], rules: [readPods.json, readWidgets.json],
                                   selectors: [F.matchLabels([toView: "true"])])
        let policy = RBACPolicy(objects: objects)
        #expect(Set(policy.pendingAggregationUpdates.keys) == ["admin", "edit"])
        #expect(policy.pendingAggregationUpdates["edit"] == [writePods, readPods, readWidgets])
        #expect(ClusterRoleAggregation.pendingUpdates(of: clusterRoles(objects)) == policy.pendingAggregationUpdates)
    }

    @Test func handWrittenRulesOnAggregatedRolesAreReplaced() {
        let objects = [
            F.clusterRole("agg", rules: [F.rule(["*"], groups: ["*"], resources: ["*"])], selectors: [F.matchLabels(["pick": "me"])]),
            F.clusterRole("picked", labels: ["pick": "me"], rules: [readWidgets.json]),
        ]
        let policy = RBACPolicy(objects: objects + [F.clusterRoleBinding("b", role: "agg", subjects: [F.user("u")])])
        #expect(policy.effectiveRules(ofClusterRole: "agg") == [readWidgets])
        #expect(!policy.authorize(F.request(UserInfo(name: "u"), "delete", "nodes", name: "n")).isAllowed)
    }

    @Test(arguments: selectorCases)
    func selectors(_ row: SelectorCase) throws {
        let aggregator = F.clusterRole("aggregator", labels: ["tier": "web"], selectors: [row.selector])
        let rules = ClusterRoleAggregation.aggregatedRules(of: clusterRoles(labelled + [aggregator]))
        let expected = row.selected.map { PolicyRule(verbs: ["get"], apiGroups: [""], resources: [$0]) }
        #expect(rules["aggregator"] == expected)
    }

    @Test func selectorsInOrderAndDeduplicated() {
        let aggregator = F.clusterRole("aggregator", selectors: [F.matchLabels(["tier": "db"]), F.matchLabels(["tier": "web"]), [:]])
        let rules = ClusterRoleAggregation.aggregatedRules(of: clusterRoles(labelled + [aggregator]))
        #expect(rules["aggregator"]?.flatMap(\.resources) == ["b", "a", "c"])
    }

    @Test func emptyAggregationRuleClearsRules() {
        var object = F.clusterRole("agg", rules: [readWidgets.json])
        object["aggregationRule"] = [:]
        let policy = RBACPolicy(objects: [object])
        #expect(policy.effectiveRules(ofClusterRole: "agg") == [])
        #expect(policy.pendingAggregationUpdates == ["agg": []])
    }

    @Test func unparsableSelectorKeepsStoredRules() {
        let object = F.clusterRole("agg", rules: [readWidgets.json],
                                   selectors: [["matchExpressions": [["key": "k", "operator": "Near", "values": ["v"]]]]])
        let policy = RBACPolicy(objects: [object, F.clusterRole("other", labels: ["k": "v"], rules: [writePods.json])])
        #expect(policy.aggregatedRules["agg"] == nil)
        #expect(policy.effectiveRules(ofClusterRole: "agg") == [readWidgets])
        #expect(policy.pendingAggregationUpdates.isEmpty)
    }

    @Test func cyclesSettleOnRulesFromOutside() {
        let objects = [
            F.clusterRole("a", labels: ["in": "b"], rules: [readWidgets.json], selectors: [F.matchLabels(["in": "a"])]),
            F.clusterRole("b", labels: ["in": "a"], selectors: [F.matchLabels(["in": "b"])]),
            F.clusterRole("leaf", labels: ["in": "b"], rules: [readPods.json]),
            F.clusterRole("self", labels: ["in": "self"], rules: [writeRoles.json], selectors: [F.matchLabels(["in": "self"])]),
        ]
        let rules = ClusterRoleAggregation.aggregatedRules(of: clusterRoles(objects))
        #expect(rules["a"] == [readPods])
        #expect(rules["b"] == [readPods])
        #expect(rules["self"] == [])
    }

    @Test func incrementalUpdatesReaggregate() {
        var policy = RBACPolicy(objects: defaultRoles + [F.roleBinding("dev", "admins", role: "admin", subjects: [F.user("ann")])])
        let ann = UserInfo(name: "ann")
        let gadgets = F.request(ann, "get", "gadgets", group: "example.com", namespace: "dev", name: "g")
        #expect(!policy.authorize(gadgets).isAllowed)

        policy.apply(kind: "ClusterRole", object: F.clusterRole("gadgets-view", labels: [toView: "true"],
                                                                rules: [F.rule(["get"], groups: ["example.com"], resources: ["gadgets"])]))
        #expect(policy.authorize(gadgets).isAllowed)

        // Relabelling it away takes the rule out of view, edit and admin.
        policy.apply(kind: "ClusterRole", object: F.clusterRole("gadgets-view", labels: ["other": "true"],
                                                                rules: [F.rule(["get"], groups: ["example.com"], resources: ["gadgets"])]))
        #expect(!policy.authorize(gadgets).isAllowed)

        // Deleting a source role removes its rules.
        let pods = F.request(ann, "delete", "pods", namespace: "dev", name: "p")
        #expect(policy.authorize(pods).isAllowed)
        policy.apply(kind: "ClusterRole", name: "system:aggregate-to-edit", object: nil)
        #expect(!policy.authorize(pods).isAllowed)
        #expect(policy.aggregatedRules["edit"] == [readPods, readWidgets])
    }
}
