import PalisadeAuth

/// An `audit.k8s.io/v1` Policy: ordered rules, the first that matches a request decides its
/// level and the stages left out; a request no rule matches is not recorded (level None).
public struct AuditPolicy: Sendable, Equatable {
    public var rules: [Rule]
    /// Stages no event is written for, whatever the rule.
    public var omitStages: Set<AuditStage>

    public init(rules: [Rule], omitStages: Set<AuditStage> = []) {
        self.rules = rules
        self.omitStages = omitStages
    }

    public struct Rule: Sendable, Equatable {
        public var level: AuditLevel
        /// Empty lists match everything.
        public var users: [String] = []
        public var userGroups: [String] = []
        public var verbs: [String] = []
        public var resources: [GroupResources] = []
        /// "" names cluster-scoped requests.
        public var namespaces: [String] = []
        public var nonResourceURLs: [String] = []
        public var omitStages: Set<AuditStage> = []

        public init(level: AuditLevel) {
            self.level = level
        }
    }

    /// Resources of one API group ("" is the core group, "*" any group).
    public struct GroupResources: Sendable, Equatable {
        public var group: String
        /// `res`, `res/sub`, `*`, `*/sub` or `res/*`; empty matches every resource of the group.
        public var resources: [String]
        public var resourceNames: [String]

        public init(group: String = "", resources: [String] = [], resourceNames: [String] = []) {
            self.group = group
            self.resources = resources
            self.resourceNames = resourceNames
        }
    }

    /// What the policy asks for one request.
    public struct Decision: Sendable, Equatable {
        public var level: AuditLevel
        public var omitStages: Set<AuditStage>

        public init(level: AuditLevel, omitStages: Set<AuditStage>) {
            self.level = level
            self.omitStages = omitStages
        }

        public func records(_ stage: AuditStage) -> Bool { level != .none && !omitStages.contains(stage) }
    }

    /// The level for a request, described as the authorizers see it.
    public func decide(_ request: AuthorizationAttributes) -> Decision {
        guard let rule = rules.first(where: { $0.matches(request) }) else { return Decision(level: .none, omitStages: omitStages) }
        return Decision(level: rule.level, omitStages: omitStages.union(rule.omitStages))
    }
}

extension AuditPolicy.Rule {
    func matches(_ request: AuthorizationAttributes) -> Bool {
        if !users.isEmpty && !users.contains(request.user.name) { return false }
        if !userGroups.isEmpty && !userGroups.contains(where: request.user.groups.contains) { return false }
        if !verbs.isEmpty && !verbs.contains(request.verb) { return false }
        if !namespaces.isEmpty || !resources.isEmpty {
            guard request.isResourceRequest else { return false }
            if !namespaces.isEmpty && !namespaces.contains(request.namespace) { return false }
            if !resources.isEmpty && !resources.contains(where: { $0.matches(request) }) { return false }
        }
        if !nonResourceURLs.isEmpty {
            guard !request.isResourceRequest else { return false }
            return nonResourceURLs.contains { pattern in
                pattern == "*" || pattern == request.path
                    || (pattern.hasSuffix("*") && request.path.hasPrefix(pattern.dropLast()))
            }
        }
        return true
    }
}

extension AuditPolicy.GroupResources {
    func matches(_ request: AuthorizationAttributes) -> Bool {
        guard group == "*" || group == request.apiGroup else { return false }
        if !resourceNames.isEmpty && !resourceNames.contains(request.name) { return false }
        guard !resources.isEmpty else { return true }
        let combined = request.subresource.isEmpty ? request.resource : "\(request.resource)/\(request.subresource)"
        return resources.contains { pattern in
            if pattern == "*" || pattern == combined { return true }
            if pattern == "*/\(request.subresource)" && !request.subresource.isEmpty { return true }
            // Unlike RBAC, `res/*` also covers the resource itself.
            if pattern == "\(request.resource)/*" { return true }
            return false
        }
    }
}
