import PalisadeAPI

/// ClusterRole aggregation, as Kubernetes' clusterrole-aggregation controller settles it.
///
/// A ClusterRole with an `aggregationRule` does not own its `rules`: they are the rules of
/// every other ClusterRole that one of its `clusterRoleSelectors` selects. Selectors are taken
/// in order, the ClusterRoles each one selects in name order, the role itself is skipped,
/// and a rule already collected is not added twice.
///
/// The controller copies the *stored* rules of the selected roles and runs again whenever any
/// ClusterRole changes, so chains (`view` → `edit` → `admin`) settle after a few passes. This
/// type computes that settled state in one go: a selected role that aggregates contributes its
/// own aggregated rules, recursively. In a cycle of aggregating roles each one contributes what
/// it collects from outside the cycle, so rules written by hand into an aggregating role never
/// circulate. A role whose selectors cannot be parsed keeps its stored rules, as the controller
/// leaves a role it cannot sync untouched.
public enum ClusterRoleAggregation {
    /// For every ClusterRole that aggregates (and whose selectors parse), the rules it should
    /// hold. The caller writes back those that differ from the stored ones; evaluation uses them
    /// directly.
    public static func aggregatedRules(of clusterRoles: [String: RBACPolicy.ClusterRole]) -> [String: [PolicyRule]] {
        let ordered = clusterRoles.values.sorted { $0.name < $1.name }
        var result: [String: [PolicyRule]] = [:]
        for role in ordered {
            guard let selectors = role.aggregationRule?.clusterRoleSelectors else { continue }
            var collector = Collector(ordered: ordered)
            collector.visited.insert(role.name)
            collector.collect(name: role.name, selectors: selectors)
            result[role.name] = collector.rules
        }
        return result
    }

    /// The aggregated rules of the roles whose stored `rules` differ from what aggregation
    /// gives: what an aggregation controller has to write back.
    public static func pendingUpdates(of clusterRoles: [String: RBACPolicy.ClusterRole]) -> [String: [PolicyRule]] {
        aggregatedRules(of: clusterRoles).filter { name, rules in clusterRoles[name]?.rules != rules }
    }

    /// Whether a `clusterRoleSelectors` entry selects a ClusterRole with `labels`. A selector
    /// with no requirements selects every ClusterRole, as in Kubernetes.
    public static func selects(_ selector: LabelSelector, labels: [String: String]) -> Bool {
        selector.matches(labels)
    }

    /// Depth-first collection of rules for one aggregating role.
    private struct Collector {
        let ordered: [RBACPolicy.ClusterRole]
        var visited: Set<String> = []
        var rules: [PolicyRule] = []
        var seen: Set<PolicyRule> = []

        init(ordered: [RBACPolicy.ClusterRole]) {
            self.ordered = ordered
        }

        mutating func collect(name: String, selectors: [LabelSelector]) {
            for selector in selectors {
                for candidate in ordered where candidate.name != name && selects(selector, labels: candidate.labels) {
                    // A role seen before already gave (or is giving) everything it can.
                    guard visited.insert(candidate.name).inserted else { continue }
                    if let nested = candidate.aggregationRule?.clusterRoleSelectors {
                        collect(name: candidate.name, selectors: nested)
                    } else {
                        add(candidate.rules)
                    }
                }
            }
        }

        private mutating func add(_ newRules: [PolicyRule]) {
            for rule in newRules where seen.insert(rule).inserted {
                rules.append(rule)
            }
        }
    }
}

extension RBACPolicy {
    /// The aggregating ClusterRoles whose stored rules are out of date, with the rules to write.
    public var pendingAggregationUpdates: [String: [PolicyRule]] {
        aggregatedRules.filter { name, rules in clusterRoles[name]?.rules != rules }
    }
}
