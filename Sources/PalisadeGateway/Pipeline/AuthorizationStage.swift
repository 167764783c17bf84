import PalisadeAPI
import PalisadeAuth

/// Stage 3: may the user do this. Asks the authorizer chain; anything but an explicit
/// allow is a 403 whose message says who was refused what, as Kubernetes words it.
struct AuthorizationStage: Sendable {
    let authorizer: any Authorizer

    /// Returns the reason of the allow (the binding that granted it), for the audit event.
    func authorize(_ info: RequestInfo, user: UserInfo) async throws(APIError) -> String {
        switch await authorizer.authorize(Self.attributes(info, user: user)) {
        case .allow(let reason): return reason
        case .deny(let reason), .noOpinion(let reason):
            throw Self.forbidden(info, user: user, reason: reason)
        }
    }

    /// A request as the authorizers (and the audit policy) see it.
    static func attributes(_ info: RequestInfo, user: UserInfo) -> AuthorizationAttributes {
        AuthorizationAttributes(
            user: user, verb: info.verb, isResourceRequest: info.isResourceRequest, apiGroup: info.apiGroup,
            apiVersion: info.apiVersion, resource: info.resource, subresource: info.subresource,
            namespace: info.namespace, name: info.name, path: info.path, fieldSelector: info.fieldSelector
        )
    }

    static func forbidden(_ info: RequestInfo, user: UserInfo, reason: String) -> APIError {
        let suffix = reason.isEmpty ? "" : ": \(reason)"
        guard info.isResourceRequest else {
            return .forbidden("forbidden: User \"\(user.name)\" cannot \(info.verb) path \"\(info.path)\"\(suffix)")
        }
        let resource = info.subresource.isEmpty ? info.resource : "\(info.resource)/\(info.subresource)"
        let qualified = info.apiGroup.isEmpty ? info.resource : "\(info.resource).\(info.apiGroup)"
        let subject = info.name.isEmpty ? qualified : "\(qualified) \"\(info.name)\""
        let scope = info.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(info.namespace)\""
        return .forbidden(
            "\(subject) is forbidden: User \"\(user.name)\" cannot \(info.verb) resource \"\(resource)\" in API group \"\(info.apiGroup)\" \(scope)\(suffix)",
            name: info.name.isEmpty ? nil : info.name, group: info.apiGroup, kind: info.resource
        )
    }
}
