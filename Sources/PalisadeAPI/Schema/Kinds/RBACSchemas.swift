/// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
extension Schemas {
    static let policyRule = ObjectSchema("PolicyRule", [
        .strings("verbs", 1),
        .strings("apiGroups", 2),
        .strings("resources", 3),
        .strings("resourceNames", 4),
        .strings("nonResourceURLs", 5),
    ])

    static let role = ObjectSchema.kind("Role", [.list("rules", 2, policyRule)])

    static let clusterRole = ObjectSchema.kind("ClusterRole", [
        .list("rules", 2, policyRule),
        .object("aggregationRule", 3, ObjectSchema("AggregationRule", [
            .list("clusterRoleSelectors", 1, labelSelector),
        ])),
    ])

    static let rbacSubject = ObjectSchema("Subject", [
        .string("kind", 1),
        .string("apiGroup", 2),
        .string("name", 3),
        .string("namespace", 4),
    ])

    /// The members of both binding kinds.
    static let bindingFields: [FieldSchema] = [
        .list("subjects", 2, rbacSubject),
        .object("roleRef", 3, typedReference("RoleRef")),
    ]

    static let roleBinding = ObjectSchema.kind("RoleBinding", bindingFields)

    static let clusterRoleBinding = ObjectSchema.kind("ClusterRoleBinding", bindingFields)
}
