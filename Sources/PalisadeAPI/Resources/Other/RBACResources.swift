/// rbac.authorization.k8s.io/v1: stored and validated now; enforced by the RBAC authorizer.
extension ServedResources {
    static let roles = ResourceDefinition(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", nameRule: .pathSegment,
        columns: [TableColumn("Created At", type: "date", cell: Cells.string("metadata", "creationTimestamp"))],
        validate: { RBACRules.validateRules($0) }
    )

    static let clusterRoles = ResourceDefinition(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false,
        nameRule: .pathSegment,
        columns: [TableColumn("Created At", type: "date", cell: Cells.string("metadata", "creationTimestamp"))],
        validate: { RBACRules.validateRules($0, allowNonResourceURLs: true) }
    )

    static let roleBindings = ResourceDefinition(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", nameRule: .pathSegment,
        columns: [TableColumn("Role", cell: { binding, _ in
            .string("\(binding[path: ["roleRef", "kind"]]?.stringValue ?? "")/\(binding[path: ["roleRef", "name"]]?.stringValue ?? "")")
        }), .age],
        validate: { RBACRules.validateBinding($0, roleKinds: ["Role", "ClusterRole"]) },
        validateUpdate: RBACRules.roleRefIsImmutable
    )

    static let clusterRoleBindings = ResourceDefinition(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false,
        nameRule: .pathSegment,
        columns: [TableColumn("Role", cell: { binding, _ in
            .string("\(binding[path: ["roleRef", "kind"]]?.stringValue ?? "")/\(binding[path: ["roleRef", "name"]]?.stringValue ?? "")")
        }), .age],
        validate: { RBACRules.validateBinding($0, roleKinds: ["ClusterRole"]) },
        validateUpdate: RBACRules.roleRefIsImmutable
    )
}

enum RBACRules {
    static func validateRules(_ role: JSONValue, allowNonResourceURLs: Bool = false) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        for (index, rule) in (role["rules"]?.arrayValue ?? []).enumerated() {
            let path = FieldPath("rules").index(index)
            if (rule["verbs"]?.arrayValue ?? []).isEmpty { causes.append(.required(path.child("verbs"), "verbs must contain at least one value")) }
            let hasURLs = !(rule["nonResourceURLs"]?.arrayValue ?? []).isEmpty
            let hasResources = !(rule["resources"]?.arrayValue ?? []).isEmpty
            if hasURLs && !allowNonResourceURLs {
                causes.append(.invalid(path.child("nonResourceURLs"), value: nil, "namespaced rules cannot apply to non-resource URLs"))
            }
            if hasURLs && hasResources {
                causes.append(.invalid(path.child("nonResourceURLs"), value: nil, "rules cannot apply to both regular resources and non-resource URLs"))
            }
            if !hasURLs && !hasResources && role["aggregationRule"] == nil {
                causes.append(.required(path.child("resources"), "resource rules must supply at least one resource"))
            }
            if hasResources && rule["apiGroups"] == nil {
                causes.append(.required(path.child("apiGroups"), "resource rules must supply at least one api group"))
            }
        }
        return causes
    }

    static func validateBinding(_ binding: JSONValue, roleKinds: [String]) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let kind = binding[path: ["roleRef", "kind"]]?.stringValue ?? ""
        if !roleKinds.contains(kind) { causes.append(.notSupported(FieldPath("roleRef", "kind"), value: kind, supported: roleKinds)) }
        if binding[path: ["roleRef", "apiGroup"]]?.stringValue != "rbac.authorization.k8s.io" {
            causes.append(.notSupported(
                FieldPath("roleRef", "apiGroup"), value: binding[path: ["roleRef", "apiGroup"]]?.stringValue ?? "",
                supported: ["rbac.authorization.k8s.io"]
            ))
        }
        if (binding[path: ["roleRef", "name"]]?.stringValue ?? "").isEmpty { causes.append(.required(FieldPath("roleRef", "name"))) }
        let subjectKinds = ["User", "Group", "ServiceAccount"]
        for (index, subject) in (binding["subjects"]?.arrayValue ?? []).enumerated() {
            let path = FieldPath("subjects").index(index)
            let subjectKind = subject["kind"]?.stringValue ?? ""
            if !subjectKinds.contains(subjectKind) { causes.append(.notSupported(path.child("kind"), value: subjectKind, supported: subjectKinds)) }
            if (subject["name"]?.stringValue ?? "").isEmpty { causes.append(.required(path.child("name"))) }
            if subjectKind == "ServiceAccount", (subject["namespace"]?.stringValue ?? "").isEmpty, binding.namespace == nil {
                causes.append(.required(path.child("namespace")))
            }
        }
        return causes
    }

    static func roleRefIsImmutable(_ new: JSONValue, _ old: JSONValue) -> [APIError.Cause] {
        guard let oldRef = old["roleRef"], new["roleRef"] != oldRef else { return [] }
        return [.invalid(FieldPath("roleRef"), value: nil, "cannot change roleRef")]
    }
}
