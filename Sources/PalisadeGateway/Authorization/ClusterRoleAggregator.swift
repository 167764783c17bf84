import Logging
import PalisadeAPI
import PalisadeAuth
import ServiceLifecycle

/// Keeps the `rules` of aggregating ClusterRoles (admin, edit, view, ...) filled with the rules
/// of the ClusterRoles their `aggregationRule` selects, as Kubernetes' aggregation controller
/// does, so what `kubectl get clusterrole admin -o yaml` shows is what RBAC applies.
/// (Evaluation uses the aggregated rules already; this writes them back.)
public struct ClusterRoleAggregator: Service {
    let registry: ObjectRegistry
    let rbac: RBACPolicyCache
    let logger: Logger

    static let clusterRoles = ServedResources.lookup(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles")!

    public init(registry: ObjectRegistry, rbac: RBACPolicyCache, logger: Logger) {
        self.registry = registry
        self.rbac = rbac
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // Every change to a ClusterRole may change what an aggregating one should hold.
                    for try await _ in try await registry.watch(Self.clusterRoles, namespace: nil, options: ListOptions()) {
                        await writePendingRules()
                    }
                } catch {
                    logger.warning("cluster role aggregation watch ended", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Brings every aggregating ClusterRole up to date from the stored ClusterRoles; run once
    /// at start, before clients are served, so a fresh cluster shows filled roles at once.
    public static func aggregate(_ registry: ObjectRegistry, logger: Logger) async throws(APIError) {
        let roles = try await registry.list(clusterRoles, namespace: nil, options: ListOptions()).items.map { role in
            var role = role
            role.kind = "ClusterRole"
            return role
        }
        await write(RBACPolicy(objects: roles).pendingAggregationUpdates, registry, logger)
    }

    /// Writes the aggregated rules of every aggregating ClusterRole whose stored rules differ.
    func writePendingRules() async {
        await Self.write(await rbac.current().pendingAggregationUpdates, registry, logger)
    }

    private static func write(_ updates: [String: [PolicyRule]], _ registry: ObjectRegistry, _ logger: Logger) async {
        for (name, rules) in updates {
            let wanted = JSONValue.array(rules.map(\.json))
            do {
                _ = try await registry.patch(clusterRoles, namespace: nil, name: name, subresource: nil, options: WriteOptions()) { role in
                    var updated = role
                    updated["rules"] = wanted
                    return updated
                }
            } catch {
                logger.warning("cannot write aggregated rules", metadata: ["clusterrole": "\(name)", "error": "\(error.message)"])
            }
        }
    }
}
