/// An authorizer's answer. Only `.allow` lets a request through; a chain moves past
/// `.noOpinion`, and a request nobody allowed is denied.
public enum AuthorizationDecision: Sendable, Equatable {
    case allow(reason: String)
    case deny(reason: String)
    case noOpinion(reason: String)
}

/// Decides whether a user may do what a request asks.
public protocol Authorizer: Sendable {
    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision
}

/// Asks each authorizer in turn; the first `.allow` or `.deny` stands (Kubernetes' union authorizer).
public struct UnionAuthorizer: Authorizer {
    public let authorizers: [any Authorizer]

    public init(_ authorizers: [any Authorizer]) {
        self.authorizers = authorizers
    }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        var reasons: [String] = []
        for authorizer in authorizers {
            let decision = await authorizer.authorize(attributes)
            switch decision {
            case .allow, .deny:
                return decision
            case .noOpinion(let reason):
                if !reason.isEmpty { reasons.append(reason) }
            }
        }
        return .noOpinion(reason: reasons.joined(separator: "; "))
    }
}

/// Members of `system:masters` may do anything, as in Kubernetes, where that group
/// bypasses RBAC. Everyone else gets no opinion here.
public struct SystemMastersAuthorizer: Authorizer {
    public init() {}

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        attributes.user.groups.contains(UserInfo.mastersGroup)
            ? .allow(reason: "member of \(UserInfo.mastersGroup)")
            : .noOpinion(reason: "")
    }
}
