import PalisadeAPI
import PalisadeAuth

/// RBAC's escalation prevention, as Kubernetes enforces it: a user may write a Role or
/// ClusterRole only with every permission it grants (or the `escalate` verb on it), and a
/// RoleBinding or ClusterRoleBinding only with every permission of the role it references
/// (or the `bind` verb on that role). Without this, anyone allowed to edit RBAC objects
/// could grant themselves anything.
struct EscalationGuard: AdmissionCheck {
    static let group = "rbac.authorization.k8s.io"

    let rbac: RBACPolicyCache
    let authorizer: any Authorizer

    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        // The server's own writes (bootstrap, aggregation) are neither checked nor warned about;
        // they also run before the policy cache is up.
        guard request.definition.group == Self.group, let user = request.user else { return [] }
        let namespace = request.definition.namespaced ? request.object.namespace ?? "" : ""
        let policy = await rbac.current()
        let warnings = Self.missingRoleWarning(request, policy: policy, namespace: namespace)
        // system:masters holds every permission, with or without a cluster-admin binding.
        guard !user.groups.contains(UserInfo.mastersGroup) else { return warnings }
        try await checkEscalation(request, user: user, policy: policy, namespace: namespace)
        return warnings
    }

    /// A binding to a role that does not exist grants nothing; say so rather than stay silent.
    static func missingRoleWarning(_ request: AdmissionRequest, policy: RBACPolicy, namespace: String) -> [String] {
        guard request.definition.kind.hasSuffix("Binding") else { return [] }
        let kind = request.object[path: ["roleRef", "kind"]]?.stringValue ?? ""
        let name = request.object[path: ["roleRef", "name"]]?.stringValue ?? ""
        let exists = kind == "Role" ? policy.roles[namespace]?[name] != nil : policy.clusterRoles[name] != nil
        return exists ? [] : ["\(kind.lowercased()).rbac.authorization.k8s.io \"\(name)\" not found: this binding grants nothing until it exists"]
    }

    private func checkEscalation(_ request: AdmissionRequest, user: UserInfo, policy: RBACPolicy, namespace: String) async throws(APIError) {
        switch request.definition.kind {
        case "Role", "ClusterRole":
            // An aggregating ClusterRole can gather any rules, so it needs full authority, as in Kubernetes.
            let granted = request.object["aggregationRule"] == nil ? PolicyRule.rules(from: request.object["rules"]) : EscalationCheck.fullAuthority
            let check = EscalationCheck.covers(policy.effectiveRules(for: user, namespace: namespace), granted)
            if check.covered { return }
            if await holds("escalate", on: request.definition.plural, named: request.object.name ?? "", in: namespace, user) { return }
            throw refusal(request, user: user, missing: check.missing)
        case "RoleBinding", "ClusterRoleBinding":
            let roleKind = request.object[path: ["roleRef", "kind"]]?.stringValue ?? ""
            let roleName = request.object[path: ["roleRef", "name"]]?.stringValue ?? ""
            let granted = roleKind == "Role"
                ? policy.roles[namespace]?[roleName]?.rules ?? []
                : policy.effectiveRules(ofClusterRole: roleName) ?? []
            let check = EscalationCheck.covers(policy.effectiveRules(for: user, namespace: namespace), granted)
            if check.covered { return }
            let roleResource = roleKind == "Role" ? "roles" : "clusterroles"
            if await holds("bind", on: roleResource, named: roleName, in: roleKind == "Role" ? namespace : "", user) { return }
            throw refusal(request, user: user, missing: check.missing)
        default:
            return
        }
    }

    /// Whether the user may use `verb` (escalate, bind) on the named RBAC object.
    private func holds(_ verb: String, on resource: String, named name: String, in namespace: String, _ user: UserInfo) async -> Bool {
        let attributes = AuthorizationAttributes(
            user: user, verb: verb, isResourceRequest: true, apiGroup: Self.group, apiVersion: "v1",
            resource: resource, namespace: namespace, name: name
        )
        if case .allow = await authorizer.authorize(attributes) { return true }
        return false
    }

    private func refusal(_ request: AdmissionRequest, user: UserInfo, missing: [PolicyRule]) -> APIError {
        let definition = request.definition
        let name = request.object.name ?? ""
        return .forbidden(
            "\(definition.qualifiedName) \"\(name)\" is forbidden: \(EscalationCheck.notHeldMessage(user: user, missing: missing))",
            name: name, group: definition.group, kind: definition.plural
        )
    }
}
