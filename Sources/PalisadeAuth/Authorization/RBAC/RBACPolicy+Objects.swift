import PalisadeAPI

/// The four `rbac.authorization.k8s.io/v1` kinds, reduced to what evaluation needs and read
/// from their Kubernetes JSON shape.
extension RBACPolicy {
    /// A namespaced Role: rules that only ever apply inside its namespace.
    public struct Role: Sendable, Hashable {
        /// The namespace the Role lives in and grants in.
        public var namespace: String
        /// The object name.
        public var name: String
        /// The rules granted.
        public var rules: [PolicyRule]

        /// A Role from its parts.
        public init(namespace: String, name: String, rules: [PolicyRule]) {
            self.namespace = namespace
            self.name = name
            self.rules = rules
        }

        /// Reads a Role object; `namespace` and `name` default to its metadata.
        public init(json: JSONValue, namespace: String? = nil, name: String? = nil) {
            self.init(
                namespace: namespace ?? json.namespace ?? "", name: name ?? json.name ?? "",
                rules: PolicyRule.rules(from: json["rules"])
            )
        }
    }

    /// A ClusterRole. When `aggregationRule` is set, its rules belong to the aggregation
    /// controller and evaluation uses the aggregated rules instead of `rules`.
    public struct ClusterRole: Sendable, Equatable {
        /// The object name.
        public var name: String
        /// `metadata.labels`, which aggregation selectors match.
        public var labels: [String: String]
        /// The stored rules (for an aggregating role, whatever was last written).
        public var rules: [PolicyRule]
        /// Set when the role aggregates others; its `rules` are then replaced.
        public var aggregationRule: AggregationRule?

        /// A ClusterRole from its parts.
        public init(name: String, labels: [String: String] = [:], rules: [PolicyRule], aggregationRule: AggregationRule? = nil) {
            self.name = name
            self.labels = labels
            self.rules = rules
            self.aggregationRule = aggregationRule
        }

        /// Reads a ClusterRole object; `name` defaults to its metadata.
        public init(json: JSONValue, name: String? = nil) {
            self.init(
                name: name ?? json.name ?? "", labels: json.labels, rules: PolicyRule.rules(from: json["rules"]),
                aggregationRule: json["aggregationRule"].flatMap(AggregationRule.init(json:))
            )
        }
    }

    /// `aggregationRule`: label selectors naming the ClusterRoles whose rules are combined.
    public struct AggregationRule: Sendable, Equatable {
        /// The selectors, or `nil` when one of them cannot be parsed. Kubernetes' controller
        /// then fails to sync the role and leaves its rules as they are; so do we.
        public var clusterRoleSelectors: [LabelSelector]?

        /// An aggregation rule from parsed selectors (`nil`: unparsable).
        public init(clusterRoleSelectors: [LabelSelector]?) {
            self.clusterRoleSelectors = clusterRoleSelectors
        }

        /// Reads an `aggregationRule` object; `null` or a non-object means no aggregation.
        /// An empty object aggregates nothing, which clears the role's rules as in Kubernetes.
        public init?(json: JSONValue) {
            guard json.objectValue != nil else { return nil }
            var selectors: [LabelSelector] = []
            for selector in json["clusterRoleSelectors"]?.arrayValue ?? [] {
                guard let parsed = try? LabelSelector(object: selector) else {
                    self.init(clusterRoleSelectors: nil)
                    return
                }
                selectors.append(parsed)
            }
            self.init(clusterRoleSelectors: selectors)
        }
    }

    /// `roleRef`: the kind (`Role` or `ClusterRole`) and name of the granted role.
    public struct RoleRef: Sendable, Hashable {
        /// `Role` or `ClusterRole`; any other kind grants nothing.
        public var kind: String
        /// The role's name.
        public var name: String

        /// A role reference from its parts.
        public init(kind: String, name: String) {
            self.kind = kind
            self.name = name
        }
    }

    /// One entry of a binding's `subjects`.
    public struct Subject: Sendable, Hashable {
        /// The subject kinds RBAC understands; other kinds match nobody.
        public static let userKind = "User"
        public static let groupKind = "Group"
        public static let serviceAccountKind = "ServiceAccount"

        /// `User`, `Group` or `ServiceAccount`.
        public var kind: String
        /// The user, group or service account name.
        public var name: String
        /// Only meaningful for service accounts; empty means the binding's namespace.
        public var namespace: String

        /// A subject from its parts.
        public init(kind: String, name: String, namespace: String = "") {
            self.kind = kind
            self.name = name
            self.namespace = namespace
        }

        /// Reads one `subjects` entry.
        public init(json: JSONValue) {
            self.init(
                kind: json["kind"]?.stringValue ?? "", name: json["name"]?.stringValue ?? "",
                namespace: json["namespace"]?.stringValue ?? ""
            )
        }

        /// The identity this subject stands for in a binding of namespace `bindingNamespace`
        /// (`""` for a ClusterRoleBinding), or `nil` when it can match nobody: an unknown
        /// kind, or a service account with no namespace in a ClusterRoleBinding.
        /// A service account is the user `system:serviceaccount:NS:NAME`.
        func key(bindingNamespace: String) -> SubjectKey? {
            switch kind {
            case Self.userKind: return .user(name)
            case Self.groupKind: return .group(name)
            case Self.serviceAccountKind:
                let saNamespace = namespace.isEmpty ? bindingNamespace : namespace
                guard !saNamespace.isEmpty else { return nil }
                return .user("system:serviceaccount:\(saNamespace):\(name)")
            default: return nil
            }
        }

        /// Whether this subject names `user` in a binding of namespace `bindingNamespace`.
        public func applies(to user: UserInfo, bindingNamespace: String) -> Bool {
            switch key(bindingNamespace: bindingNamespace) {
            case .user(let name): return user.name == name
            case .group(let name): return user.groups.contains(name)
            case nil: return false
            }
        }

        /// How Kubernetes names the subject in reasons: `User "alice"`, and for a service
        /// account `ServiceAccount "NAME/NAMESPACE"`.
        func describe(bindingNamespace: String) -> String {
            guard kind == Self.serviceAccountKind else { return "\(kind) \"\(name)\"" }
            let saNamespace = namespace.isEmpty ? bindingNamespace : namespace
            return "\(kind) \"\(name)/\(saNamespace)\""
        }
    }

    /// A RoleBinding (non-empty `namespace`) or a ClusterRoleBinding (`namespace` is `""`).
    public struct Binding: Sendable, Hashable {
        /// The binding's namespace, `""` for a ClusterRoleBinding.
        public var namespace: String
        /// The object name.
        public var name: String
        /// The role granted; it cannot change after creation.
        public var roleRef: RoleRef
        /// Who the role is granted to.
        public var subjects: [Subject]

        /// A binding from its parts.
        public init(namespace: String = "", name: String, roleRef: RoleRef, subjects: [Subject]) {
            self.namespace = namespace
            self.name = name
            self.roleRef = roleRef
            self.subjects = subjects
        }

        /// Reads a RoleBinding or ClusterRoleBinding object; `namespace` and `name` default to
        /// its metadata (pass `""` as `namespace` for a ClusterRoleBinding).
        public init(json: JSONValue, namespace: String? = nil, name: String? = nil) {
            self.init(
                namespace: namespace ?? json.namespace ?? "", name: name ?? json.name ?? "",
                roleRef: RoleRef(
                    kind: json[path: ["roleRef", "kind"]]?.stringValue ?? "",
                    name: json[path: ["roleRef", "name"]]?.stringValue ?? ""
                ),
                subjects: (json["subjects"]?.arrayValue ?? []).map(Subject.init(json:))
            )
        }

        /// Whether this is a ClusterRoleBinding (no namespace).
        public var isClusterRoleBinding: Bool { namespace.isEmpty }

        /// The first subject that names `user`, as Kubernetes reports it.
        public func firstSubject(matching user: UserInfo) -> Subject? {
            subjects.first { $0.applies(to: user, bindingNamespace: namespace) }
        }
    }
}

/// What a binding subject is indexed under: a user name (service accounts included) or a group.
enum SubjectKey: Sendable, Hashable {
    case user(String)
    case group(String)

    /// Every key under which a binding could name `user`.
    static func keys(for user: UserInfo) -> [SubjectKey] {
        [.user(user.name)] + user.groups.map(SubjectKey.group)
    }
}
