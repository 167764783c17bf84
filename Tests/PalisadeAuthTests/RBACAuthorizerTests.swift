import PalisadeAPI
import Testing

@testable import PalisadeAuth

private typealias F = RBACFixture

/// A cluster with a little of everything RBAC can express.
private let fixtureObjects: [JSONValue] = [
    F.clusterRole("cluster-admin", rules: [F.rule(["*"], groups: ["*"], resources: ["*"]), F.rule(["*"], urls: ["*"])]),
    F.clusterRoleBinding("cluster-admins", role: "cluster-admin", subjects: [F.user("root"), F.group("admins")]),
    F.clusterRole("pod-reader", rules: [F.rule(["get", "list", "watch"], resources: ["pods", "pods/log"])]),
    F.roleBinding("dev", "read-pods", role: "pod-reader", subjects: [F.user("alice")]),
    F.role("dev", "deployer", rules: [
        F.rule(["*"], groups: ["apps"], resources: ["deployments"]),
        F.rule(["update"], groups: ["apps"], resources: ["deployments/scale"]),
    ]),
    F.roleBinding("dev", "deployers", kind: "Role", role: "deployer", subjects: [F.group("deployers")]),
    F.clusterRole("node-reader", rules: [
        F.rule(["get", "list"], resources: ["nodes"]), F.rule(["get"], urls: ["/healthz", "/healthz/*"]),
    ]),
    F.clusterRoleBinding("node-readers", role: "node-reader", subjects: [F.user("bob")]),
    F.roleBinding("dev", "carol-nodes", role: "node-reader", subjects: [F.user("carol")]),
    F.roleBinding("dev", "sa-pods", role: "pod-reader", subjects: [F.serviceAccount("builder")]),
    F.roleBinding("dev", "ci-robot", role: "pod-reader", subjects: [F.serviceAccount("robot", namespace: "ci")]),
    F.clusterRole("secret-reader", rules: [F.rule(["get"], resources: ["secrets"])]),
    F.clusterRoleBinding("no-namespace-sa", role: "secret-reader", subjects: [F.serviceAccount("monitor")]),
    F.clusterRole("configmap-reader", rules: [F.rule(["get", "list"], resources: ["configmaps"])]),
    F.clusterRoleBinding("all-sa-configmaps", role: "configmap-reader", subjects: [F.group("system:serviceaccounts")]),
    F.clusterRole("service-reader", rules: [F.rule(["get", "list"], resources: ["services"])]),
    F.roleBinding("prod", "prod-sa-services", role: "service-reader", subjects: [F.group("system:serviceaccounts:prod")]),
    F.clusterRoleBinding("ghost", role: "does-not-exist", subjects: [F.user("dave")]),
    F.roleBinding("dev", "ghost-role", kind: "Role", role: "nope", subjects: [F.user("dave")]),
    F.clusterRoleBinding("binds-a-role", kind: "Role", role: "deployer", subjects: [F.user("erin")]),
    F.clusterRole("web-config", rules: [F.rule(["get", "update", "list"], resources: ["configmaps"], names: ["web"])]),
    F.roleBinding("dev", "web-config", role: "web-config", subjects: [F.user("frank")]),
    F.role("dev", "rbac-writer", rules: [
        F.rule(["get", "list", "watch", "create", "update", "patch", "delete"], groups: ["rbac.authorization.k8s.io"], resources: ["roles"]),
    ]),
    F.roleBinding("dev", "rbac-writers", kind: "Role", role: "rbac-writer", subjects: [F.user("gina")]),
    F.clusterRoleBinding("status-writers", role: "status-writer", subjects: [F.user("hank")]),
    F.clusterRole("status-writer", rules: [F.rule(["update", "patch"], groups: ["*"], resources: ["*/status"])]),
]

/// Shared with `RuleResolverTests`.
let rbacFixturePolicy = RBACPolicy(objects: fixtureObjects)
private let policy = rbacFixturePolicy

private func user(_ name: String, _ groups: String...) -> UserInfo {
    UserInfo(name: name, groups: groups + [UserInfo.authenticatedGroup])
}

struct AuthorizeCase: Sendable, CustomTestStringConvertible {
    let label: String
    let request: AuthorizationAttributes
    let allowed: Bool
    var testDescription: String { label }
}

private func allowed(_ label: String, _ request: AuthorizationAttributes) -> AuthorizeCase {
    AuthorizeCase(label: label, request: request, allowed: true)
}

private func notAllowed(_ label: String, _ request: AuthorizationAttributes) -> AuthorizeCase {
    AuthorizeCase(label: label, request: request, allowed: false)
}

private let builder = F.serviceAccountUser("dev", "builder")
private let robot = F.serviceAccountUser("ci", "robot")
private let prodSA = F.serviceAccountUser("prod", "app")

private let authorizeCases: [AuthorizeCase] = [
    allowed("group admin anywhere", F.request(user("x", "admins"), "delete", "secrets", namespace: "kube-system", name: "s")),
    allowed("user admin non-resource", F.path(user("root"), "get", "/metrics")),
    notAllowed("unknown user", F.request(user("nobody"), "get", "pods", namespace: "dev")),
    allowed("RoleBinding to ClusterRole in its namespace", F.request(user("alice"), "list", "pods", namespace: "dev")),
    allowed("pods/log through the same rule", F.request(user("alice"), "get", "pods", subresource: "log", namespace: "dev", name: "p")),
    notAllowed("pods/exec not granted", F.request(user("alice"), "create", "pods", subresource: "exec", namespace: "dev", name: "p")),
    notAllowed("RoleBinding to ClusterRole: other namespace", F.request(user("alice"), "list", "pods", namespace: "prod")),
    notAllowed("RoleBinding to ClusterRole: all namespaces", F.request(user("alice"), "list", "pods")),
    allowed("group via Role", F.request(user("u", "deployers"), "patch", "deployments", group: "apps", namespace: "dev", name: "d")),
    allowed("deployments/scale", F.request(user("u", "deployers"), "update", "deployments", subresource: "scale", group: "apps", namespace: "dev", name: "d")),
    notAllowed("deployments/status not granted", F.request(user("u", "deployers"), "update", "deployments", subresource: "status", group: "apps", namespace: "dev", name: "d")),
    notAllowed("Role is namespaced", F.request(user("u", "deployers"), "get", "deployments", group: "apps", namespace: "prod", name: "d")),
    notAllowed("wrong group for the Role", F.request(user("u", "deployers"), "get", "deployments", group: "extensions", namespace: "dev", name: "d")),
    allowed("cluster-scoped via ClusterRoleBinding", F.request(user("bob"), "get", "nodes", name: "n1")),
    allowed("non-resource via ClusterRoleBinding", F.path(user("bob"), "get", "/healthz/etcd")),
    notAllowed("non-resource wrong verb", F.path(user("bob"), "post", "/healthz")),
    notAllowed("cluster-scoped via RoleBinding", F.request(user("carol"), "get", "nodes", name: "n1")),
    notAllowed("non-resource via RoleBinding", F.path(user("carol"), "get", "/healthz")),
    allowed("service account, namespace from the RoleBinding", F.request(builder, "get", "pods", namespace: "dev", name: "p")),
    notAllowed("same service account name, other namespace", F.request(F.serviceAccountUser("prod", "builder"), "get", "pods", namespace: "dev", name: "p")),
    allowed("service account from another namespace", F.request(robot, "watch", "pods", namespace: "dev")),
    notAllowed("service account subject without namespace in a ClusterRoleBinding", F.request(F.serviceAccountUser("default", "monitor"), "get", "secrets", namespace: "default", name: "s")),
    allowed("group system:serviceaccounts", F.request(robot, "get", "configmaps", namespace: "anywhere", name: "c")),
    notAllowed("system:serviceaccounts is a group, not a name", F.request(user("system:serviceaccounts"), "get", "configmaps", namespace: "x", name: "c")),
    allowed("group system:serviceaccounts:prod in prod", F.request(prodSA, "list", "services", namespace: "prod")),
    notAllowed("group system:serviceaccounts:prod only binds in prod", F.request(prodSA, "list", "services", namespace: "dev")),
    notAllowed("group of another namespace", F.request(robot, "list", "services", namespace: "prod")),
    notAllowed("missing ClusterRole grants nothing", F.request(user("dave"), "get", "pods", namespace: "dev", name: "p")),
    notAllowed("ClusterRoleBinding to a Role grants nothing", F.request(user("erin"), "get", "deployments", group: "apps", namespace: "dev", name: "d")),
    allowed("resourceNames get", F.request(user("frank"), "get", "configmaps", namespace: "dev", name: "web")),
    notAllowed("resourceNames other name", F.request(user("frank"), "get", "configmaps", namespace: "dev", name: "db")),
    notAllowed("resourceNames list", F.request(user("frank"), "list", "configmaps", namespace: "dev")),
    allowed("resourceNames list by field selector", F.request(user("frank"), "list", "configmaps", namespace: "dev", name: "web")),
    notAllowed("resourceNames create", F.request(user("frank"), "create", "configmaps", namespace: "dev")),
    allowed("standard verb on roles", F.request(user("gina"), "update", "roles", group: "rbac.authorization.k8s.io", namespace: "dev", name: "r")),
    notAllowed("escalate is not implied", F.request(user("gina"), "escalate", "roles", group: "rbac.authorization.k8s.io", namespace: "dev", name: "r")),
    notAllowed("bind is not implied", F.request(user("gina"), "bind", "roles", group: "rbac.authorization.k8s.io", namespace: "dev", name: "r")),
    allowed("*/status any resource", F.request(user("hank"), "patch", "deployments", subresource: "status", group: "apps", namespace: "dev", name: "d")),
    notAllowed("*/status not the main resource", F.request(user("hank"), "patch", "deployments", group: "apps", namespace: "dev", name: "d")),
]

@Suite struct RBACAuthorizerTests {
    @Test(arguments: authorizeCases)
    func decisions(_ row: AuthorizeCase) async {
        let decision = await RBACAuthorizer(policy).authorize(row.request)
        #expect(decision.isAllowed == row.allowed, "\(decision)")
        if case .deny = decision { Issue.record("RBAC must never deny") }
    }

    @Test(arguments: [
        (F.request(user("x", "admins"), "get", "pods", namespace: "dev"),
         #"RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to Group "admins""#),
        (F.request(user("root"), "get", "nodes"),
         #"RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to User "root""#),
        (F.request(user("alice"), "get", "pods", namespace: "dev"),
         #"RBAC: allowed by RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to User "alice""#),
        (F.request(user("u", "deployers"), "get", "deployments", group: "apps", namespace: "dev"),
         #"RBAC: allowed by RoleBinding "deployers/dev" of Role "deployer" to Group "deployers""#),
        (F.request(builder, "get", "pods", namespace: "dev"),
         #"RBAC: allowed by RoleBinding "sa-pods/dev" of ClusterRole "pod-reader" to ServiceAccount "builder/dev""#),
        (F.request(robot, "get", "pods", namespace: "dev"),
         #"RBAC: allowed by RoleBinding "ci-robot/dev" of ClusterRole "pod-reader" to ServiceAccount "robot/ci""#),
    ])
    func allowReasons(_ request: AuthorizationAttributes, _ reason: String) async {
        #expect(await RBACAuthorizer(policy).authorize(request) == .allow(reason: reason))
    }

    @Test func noOpinionReasons() {
        #expect(policy.authorize(F.request(user("nobody"), "get", "pods", namespace: "dev")) == .noOpinion(reason: ""))
        #expect(policy.authorize(F.request(user("dave"), "get", "nodes"))
            == .noOpinion(reason: #"RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found"#))
        #expect(policy.authorize(F.request(user("dave"), "get", "pods", namespace: "dev")) == .noOpinion(
            reason: #"RBAC: [clusterrole.rbac.authorization.k8s.io "does-not-exist" not found, role.rbac.authorization.k8s.io "nope" not found]"#))
        #expect(policy.authorize(F.request(user("erin"), "get", "pods"))
            == .noOpinion(reason: #"RBAC: role.rbac.authorization.k8s.io "deployer" not found"#))
    }

    @Test func indexLooksOnlyAtBindingsNamingTheUser() {
        #expect(policy.clusterRoleBindings(for: user("nobody")).isEmpty)
        #expect(policy.clusterRoleBindings(for: user("bob")).map(\.name) == ["node-readers"])
        #expect(policy.clusterRoleBindings(for: robot).map(\.name) == ["all-sa-configmaps"])
        #expect(policy.roleBindings(for: robot, namespace: "dev").map(\.name) == ["ci-robot"])
        #expect(policy.roleBindings(for: builder, namespace: "dev").map(\.name) == ["sa-pods"])
        #expect(policy.roleBindings(for: user("alice"), namespace: "prod").isEmpty)
    }

    @Test func deletingAndReplacingBindings() {
        var policy = policy
        let alice = F.request(user("alice"), "get", "pods", namespace: "dev")
        #expect(policy.authorize(alice).isAllowed)
        let applied = policy.apply(kind: "RoleBinding", namespace: "dev", name: "read-pods", object: nil)
        #expect(applied)
        #expect(!policy.authorize(alice).isAllowed)
        #expect(policy.roleBindings(for: user("alice"), namespace: "dev").isEmpty)

        policy.apply(kind: "RoleBinding", object: F.roleBinding("dev", "read-pods", role: "pod-reader", subjects: [F.user("alice")]))
        #expect(policy.authorize(alice).isAllowed)
        // Replacing the subjects re-indexes the binding: alice loses access, zoe gains it.
        policy.apply(kind: "RoleBinding", object: F.roleBinding("dev", "read-pods", role: "pod-reader", subjects: [F.user("zoe")]))
        #expect(!policy.authorize(alice).isAllowed)
        #expect(policy.authorize(F.request(user("zoe"), "get", "pods", namespace: "dev")).isAllowed)

        let admin = F.request(user("x", "admins"), "get", "pods")
        policy.apply(kind: "ClusterRoleBinding", name: "cluster-admins", object: nil)
        #expect(!policy.authorize(admin).isAllowed)
        #expect(policy.clusterRoleBindings(for: user("x", "admins")).isEmpty)

        // Deleting the role keeps the binding but grants nothing.
        let deployer = F.request(user("u", "deployers"), "get", "deployments", group: "apps", namespace: "dev")
        #expect(policy.authorize(deployer).isAllowed)
        policy.apply(kind: "Role", namespace: "dev", name: "deployer", object: nil)
        #expect(policy.authorize(deployer) == .noOpinion(reason: #"RBAC: role.rbac.authorization.k8s.io "deployer" not found"#))

        // Deleting something absent, or of another kind, changes nothing.
        policy.apply(kind: "RoleBinding", namespace: "prod", name: "read-pods", object: nil)
        let ignored = policy.apply(kind: "Pod", namespace: "dev", name: "p", object: nil)
        #expect(!ignored)
        #expect(policy.authorize(F.request(user("zoe"), "get", "pods", namespace: "dev")).isAllowed)
    }

    @Test func sameBindingNameInTwoNamespaces() {
        var policy = RBACPolicy()
        policy.apply(kind: "RoleBinding", object: F.roleBinding("a", "read", role: "pod-reader", subjects: [F.user("alice")]))
        policy.apply(kind: "RoleBinding", object: F.roleBinding("b", "read", role: "pod-reader", subjects: [F.user("alice")]))
        policy.apply(kind: "ClusterRole", object: F.clusterRole("pod-reader", rules: [F.rule(["get"], resources: ["pods"])]))
        policy.apply(kind: "RoleBinding", namespace: "a", name: "read", object: nil)
        #expect(!policy.authorize(F.request(user("alice"), "get", "pods", namespace: "a")).isAllowed)
        #expect(policy.authorize(F.request(user("alice"), "get", "pods", namespace: "b")).isAllowed)
    }

    @Test func providerIsAskedForEveryDecision() async {
        let cache = PolicyCache()
        let authorizer = RBACAuthorizer(policy: { await cache.snapshot() })
        let request = F.request(user("alice"), "get", "pods", namespace: "dev")
        #expect(await authorizer.authorize(request) == .noOpinion(reason: ""))
        await cache.apply(kind: "ClusterRole", object: F.clusterRole("pod-reader", rules: [F.rule(["get"], resources: ["pods"])]))
        await cache.apply(kind: "RoleBinding", object: F.roleBinding("dev", "read-pods", role: "pod-reader", subjects: [F.user("alice")]))
        #expect(await authorizer.authorize(request).isAllowed)
        let union = UnionAuthorizer([SystemMastersAuthorizer(), authorizer])
        #expect(await union.authorize(F.request(user("alice"), "get", "pods", namespace: "prod")) == .noOpinion(reason: ""))
    }
}

/// A stand-in for the watch-fed cache the server keeps.
private actor PolicyCache {
    private var policy = RBACPolicy()

    func snapshot() -> RBACPolicy { policy }

    func apply(kind: String, object: JSONValue) {
        policy.apply(kind: kind, object: object)
    }
}
