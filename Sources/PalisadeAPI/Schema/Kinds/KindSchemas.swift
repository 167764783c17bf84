/// Finds the schema of a served kind by group, version and kind.
public enum KindSchemas {
    /// The schema of `kind` in `group`/`version` (group `""` is core), or `nil` when the kind is not served.
    ///
    /// `DeleteOptions` is answered for every group at `v1`, as Kubernetes registers it in each group.
    public static func schema(group: String, version: String, kind: String) -> ObjectSchema? {
        if kind == deleteOptions.name, version == "v1" { return deleteOptions }
        return registry[Key(group: group, version: version, kind: kind)]
    }

    /// `meta/v1` `DeleteOptions`, the body of a DELETE (JSON only; kubectl omits `kind`).
    public static var deleteOptions: ObjectSchema { Schemas.deleteOptions }

    /// Every served kind with its group and version, in a stable order.
    public static var all: [(group: String, version: String, schema: ObjectSchema)] {
        served.flatMap { entry in entry.kinds.map { (group: entry.group, version: entry.version, schema: $0) } }
    }

    private struct Key: Hashable {
        let group: String
        let version: String
        let kind: String
    }

    private static let served: [(group: String, version: String, kinds: [ObjectSchema])] = [
        ("", "v1", [
            Schemas.namespace, Schemas.pod, Schemas.binding, Schemas.service, Schemas.configMap, Schemas.secret,
            Schemas.serviceAccount, Schemas.node, Schemas.event, Schemas.endpoints, Schemas.persistentVolume,
            Schemas.persistentVolumeClaim, Schemas.resourceQuota, Schemas.limitRange,
        ]),
        ("apps", "v1", [Schemas.deployment, Schemas.replicaSet, Schemas.statefulSet, Schemas.daemonSet]),
        ("autoscaling", "v1", [Schemas.scale]),
        ("batch", "v1", [Schemas.job]),
        ("rbac.authorization.k8s.io", "v1", [
            Schemas.role, Schemas.clusterRole, Schemas.roleBinding, Schemas.clusterRoleBinding,
        ]),
        ("networking.k8s.io", "v1", [Schemas.networkPolicy]),
        ("discovery.k8s.io", "v1", [Schemas.endpointSlice]),
        ("coordination.k8s.io", "v1", [Schemas.lease]),
        ("certificates.k8s.io", "v1", [Schemas.certificateSigningRequest]),
        ("authorization.k8s.io", "v1", [
            Schemas.selfSubjectAccessReview, Schemas.subjectAccessReview, Schemas.localSubjectAccessReview,
            Schemas.selfSubjectRulesReview,
        ]),
        ("authentication.k8s.io", "v1", [Schemas.selfSubjectReview, Schemas.tokenReview]),
    ]

    private static let registry: [Key: ObjectSchema] = {
        var table: [Key: ObjectSchema] = [:]
        for entry in served {
            for schema in entry.kinds {
                table[Key(group: entry.group, version: entry.version, kind: schema.name)] = schema
            }
        }
        return table
    }()
}
