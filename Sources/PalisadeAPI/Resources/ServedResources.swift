/// The resources this server serves, and lookups by the names clients use.
public enum ServedResources {
    /// Every served resource, in discovery order (per group, the first version is preferred).
    public static let all: [ResourceDefinition] = [
        pods, namespaces, services, configMaps, secrets, serviceAccounts, nodes, events, endpoints,
        persistentVolumes, persistentVolumeClaims, resourceQuotas, limitRanges,
        deployments, replicaSets, statefulSets, daemonSets, jobs,
        roles, clusterRoles, roleBindings, clusterRoleBindings,
        networkPolicies, endpointSlices, leases, certificateSigningRequests,
    ] + reviews

    private static let byGroupVersionResource: [String: ResourceDefinition] = Dictionary(
        all.map { ("\($0.groupVersion)/\($0.plural)", $0) }, uniquingKeysWith: { first, _ in first }
    )

    /// The resource served at `group/version/plural`.
    public static func lookup(group: String, version: String, resource: String) -> ResourceDefinition? {
        byGroupVersionResource["\(group.isEmpty ? version : "\(group)/\(version)")/\(resource)"]
    }

    /// The resource of a kind (for bodies that name their kind).
    public static func lookup(group: String, version: String, kind: String) -> ResourceDefinition? {
        all.first { $0.group == group && $0.version == version && $0.kind == kind }
    }

    /// Groups in discovery order with their versions.
    public static var groups: [(name: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for definition in all {
            if versions[definition.group] == nil { order.append(definition.group) }
            if !(versions[definition.group]?.contains(definition.version) ?? false) {
                versions[definition.group, default: []].append(definition.version)
            }
        }
        return order.map { ($0, versions[$0] ?? []) }
    }
}
