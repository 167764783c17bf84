import PalisadeAPI

/// An in-memory snapshot of every Role, ClusterRole, RoleBinding and ClusterRoleBinding:
/// what the RBAC authorizer, the rule resolver and the escalation checks evaluate.
///
/// It is a value: a watch-fed cache keeps one, calls ``apply(kind:namespace:name:object:)``
/// for each event, and hands out copies. Bindings are indexed by subject (user name, group
/// name, service account user name), so evaluating a request looks only at the bindings
/// that can name its user. ClusterRole aggregation is recomputed whenever a ClusterRole
/// changes, and evaluation always sees the aggregated rules.
public struct RBACPolicy: Sendable {
    /// The four kinds a snapshot holds.
    public enum Kind: String, Sendable, CaseIterable {
        case role = "Role"
        case clusterRole = "ClusterRole"
        case roleBinding = "RoleBinding"
        case clusterRoleBinding = "ClusterRoleBinding"
    }

    /// Roles by namespace, then name.
    public private(set) var roles: [String: [String: Role]] = [:]
    /// ClusterRoles by name, with the rules stored in them.
    public private(set) var clusterRoles: [String: ClusterRole] = [:]
    /// RoleBindings by namespace, then name.
    public private(set) var roleBindings: [String: [String: Binding]] = [:]
    /// ClusterRoleBindings by name.
    public private(set) var clusterRoleBindings: [String: Binding] = [:]
    /// The rules of every aggregating ClusterRole, as the aggregation controller would set them.
    public private(set) var aggregatedRules: [String: [PolicyRule]] = [:]

    private var clusterBindingIndex = SubjectIndex()
    private var namespaceBindingIndex: [String: SubjectIndex] = [:]

    /// An empty policy: it grants nothing.
    public init() {}

    /// A policy holding `objects`, each read with its own `kind` and metadata; objects of
    /// other kinds are ignored.
    public init(objects: [JSONValue]) {
        for object in objects {
            guard let kind = object.kind.flatMap(Kind.init(rawValue:)) else { continue }
            upsert(kind: kind, namespace: object.namespace ?? "", name: object.name ?? "", object: object)
        }
        recomputeAggregation()
    }

    /// Applies one watch event: `object` is the new state of `kind` `namespace/name`, or `nil`
    /// when that object was deleted. `namespace` is ignored for the cluster-scoped kinds.
    ///
    /// - Returns: `false` when `kind` is not one of the four RBAC kinds (nothing changes).
    @discardableResult
    public mutating func apply(kind: String, namespace: String = "", name: String, object: JSONValue?) -> Bool {
        guard let kind = Kind(rawValue: kind) else { return false }
        if let object {
            upsert(kind: kind, namespace: namespace, name: name, object: object)
        } else {
            remove(kind: kind, namespace: namespace, name: name)
        }
        if kind == .clusterRole { recomputeAggregation() }
        return true
    }

    /// Adds or replaces `object`, identified by its own metadata.
    @discardableResult
    public mutating func apply(kind: String, object: JSONValue) -> Bool {
        apply(kind: kind, namespace: object.namespace ?? "", name: object.name ?? "", object: object)
    }

    // MARK: - Lookups used by evaluation

    /// The rules a ClusterRole grants: the aggregated rules when it aggregates, else its own.
    /// `nil` when there is no such ClusterRole.
    public func effectiveRules(ofClusterRole name: String) -> [PolicyRule]? {
        guard let clusterRole = clusterRoles[name] else { return nil }
        return aggregatedRules[name] ?? clusterRole.rules
    }

    /// Every ClusterRoleBinding with a subject that names `user`, sorted by name.
    public func clusterRoleBindings(for user: UserInfo) -> [Binding] {
        clusterBindingIndex.names(for: user).compactMap { clusterRoleBindings[$0] }
    }

    /// Every RoleBinding of `namespace` with a subject that names `user`, sorted by name.
    public func roleBindings(for user: UserInfo, namespace: String) -> [Binding] {
        guard let index = namespaceBindingIndex[namespace], let bindings = roleBindings[namespace] else { return [] }
        return index.names(for: user).compactMap { bindings[$0] }
    }

    /// The rules `binding`'s roleRef grants, or the reason it grants nothing, worded as
    /// Kubernetes does. A ClusterRoleBinding can only reference a ClusterRole; a RoleBinding
    /// referencing a Role finds it in the binding's own namespace.
    public func rules(grantedBy binding: Binding) -> Result<[PolicyRule], ResolutionError> {
        switch binding.roleRef.kind {
        case Kind.role.rawValue:
            guard !binding.isClusterRoleBinding,
                let role = roles[binding.namespace]?[binding.roleRef.name]
            else { return .failure(ResolutionError(#"role.rbac.authorization.k8s.io "\#(binding.roleRef.name)" not found"#)) }
            return .success(role.rules)
        case Kind.clusterRole.rawValue:
            guard let rules = effectiveRules(ofClusterRole: binding.roleRef.name) else {
                return .failure(ResolutionError(#"clusterrole.rbac.authorization.k8s.io "\#(binding.roleRef.name)" not found"#))
            }
            return .success(rules)
        default:
            return .failure(ResolutionError(#"unsupported role reference kind: "\#(binding.roleRef.kind)""#))
        }
    }

    /// Why a binding that names the user grants nothing (its role is missing, for example).
    public struct ResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The message, as Kubernetes words it.
        public var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Maintenance

    private mutating func upsert(kind: Kind, namespace: String, name: String, object: JSONValue) {
        switch kind {
        case .role:
            roles[namespace, default: [:]][name] = Role(json: object, namespace: namespace, name: name)
        case .clusterRole:
            clusterRoles[name] = ClusterRole(json: object, name: name)
        case .roleBinding:
            remove(kind: .roleBinding, namespace: namespace, name: name)
            let binding = Binding(json: object, namespace: namespace, name: name)
            roleBindings[namespace, default: [:]][name] = binding
            namespaceBindingIndex[namespace, default: SubjectIndex()].insert(binding)
        case .clusterRoleBinding:
            remove(kind: .clusterRoleBinding, namespace: "", name: name)
            let binding = Binding(json: object, namespace: "", name: name)
            clusterRoleBindings[name] = binding
            clusterBindingIndex.insert(binding)
        }
    }

    private mutating func remove(kind: Kind, namespace: String, name: String) {
        switch kind {
        case .role:
            roles[namespace]?[name] = nil
            if roles[namespace]?.isEmpty == true { roles[namespace] = nil }
        case .clusterRole:
            clusterRoles[name] = nil
        case .roleBinding:
            guard let old = roleBindings[namespace]?[name] else { return }
            roleBindings[namespace]?[name] = nil
            if roleBindings[namespace]?.isEmpty == true { roleBindings[namespace] = nil }
            namespaceBindingIndex[namespace]?.remove(old)
            if namespaceBindingIndex[namespace]?.isEmpty == true { namespaceBindingIndex[namespace] = nil }
        case .clusterRoleBinding:
            guard let old = clusterRoleBindings.removeValue(forKey: name) else { return }
            clusterBindingIndex.remove(old)
        }
    }

    private mutating func recomputeAggregation() {
        aggregatedRules = ClusterRoleAggregation.aggregatedRules(of: clusterRoles)
    }
}

/// Binding names by the subject keys they contain, for one scope (the cluster, or one namespace).
struct SubjectIndex: Sendable {
    private var names: [SubjectKey: Set<String>] = [:]

    var isEmpty: Bool { names.isEmpty }

    mutating func insert(_ binding: RBACPolicy.Binding) {
        for key in Self.keys(of: binding) { names[key, default: []].insert(binding.name) }
    }

    mutating func remove(_ binding: RBACPolicy.Binding) {
        for key in Self.keys(of: binding) {
            names[key]?.remove(binding.name)
            if names[key]?.isEmpty == true { names[key] = nil }
        }
    }

    /// Names of the bindings that may name `user`, sorted so evaluation order is stable.
    func names(for user: UserInfo) -> [String] {
        var found: Set<String> = []
        for key in SubjectKey.keys(for: user) { found.formUnion(names[key] ?? []) }
        return found.sorted()
    }

    private static func keys(of binding: RBACPolicy.Binding) -> Set<SubjectKey> {
        Set(binding.subjects.compactMap { $0.key(bindingNamespace: binding.namespace) })
    }
}
