import PalisadeAPI

@testable import PalisadeAuth

/// Builders for RBAC objects in their Kubernetes JSON shape, and for request attributes.
enum RBACFixture {
    static func rule(
        _ verbs: [String], groups: [String] = [""], resources: [String] = [], names: [String] = [], urls: [String] = []
    ) -> JSONValue {
        PolicyRule(
            verbs: verbs, apiGroups: urls.isEmpty ? groups : [], resources: resources, resourceNames: names,
            nonResourceURLs: urls
        ).json
    }

    static func role(_ namespace: String, _ name: String, rules: [JSONValue]) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": ["namespace": .string(namespace), "name": .string(name)], "rules": .array(rules),
        ]
    }

    static func clusterRole(
        _ name: String, labels: [String: String] = [:], rules: [JSONValue] = [], selectors: [JSONValue]? = nil
    ) -> JSONValue {
        var object: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": ["name": .string(name)], "rules": .array(rules),
        ]
        object.labels = labels
        if let selectors { object["aggregationRule"] = ["clusterRoleSelectors": .array(selectors)] }
        return object
    }

    static func matchLabels(_ labels: [String: String]) -> JSONValue {
        ["matchLabels": .object(labels.mapValues(JSONValue.string))]
    }

    static func roleBinding(_ namespace: String, _ name: String, kind: String = "ClusterRole", role: String, subjects: [JSONValue]) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": ["namespace": .string(namespace), "name": .string(name)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(kind), "name": .string(role)],
            "subjects": .array(subjects),
        ]
    }

    static func clusterRoleBinding(_ name: String, kind: String = "ClusterRole", role: String, subjects: [JSONValue]) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": ["name": .string(name)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(kind), "name": .string(role)],
            "subjects": .array(subjects),
        ]
    }

    static func user(_ name: String) -> JSONValue {
        ["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": .string(name)]
    }

    static func group(_ name: String) -> JSONValue {
        ["kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": .string(name)]
    }

    static func serviceAccount(_ name: String, namespace: String? = nil) -> JSONValue {
        var subject: JSONValue = ["kind": "ServiceAccount", "name": .string(name)]
        if let namespace { subject["namespace"] = .string(namespace) }
        return subject
    }

    /// A service account's identity as the authenticator produces it.
    static func serviceAccountUser(_ namespace: String, _ name: String) -> UserInfo {
        UserInfo(
            name: "system:serviceaccount:\(namespace):\(name)",
            groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", UserInfo.authenticatedGroup]
        )
    }

    static func request(
        _ user: UserInfo, _ verb: String, _ resource: String, subresource: String = "", group: String = "",
        namespace: String = "", name: String = ""
    ) -> AuthorizationAttributes {
        AuthorizationAttributes(
            user: user, verb: verb, isResourceRequest: true, apiGroup: group, apiVersion: "v1", resource: resource,
            subresource: subresource, namespace: namespace, name: name
        )
    }

    static func path(_ user: UserInfo, _ verb: String, _ path: String) -> AuthorizationAttributes {
        AuthorizationAttributes(user: user, verb: verb, isResourceRequest: false, path: path)
    }
}

extension AuthorizationDecision {
    var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }

    var reason: String {
        switch self {
        case .allow(let reason), .deny(let reason), .noOpinion(let reason): return reason
        }
    }
}
