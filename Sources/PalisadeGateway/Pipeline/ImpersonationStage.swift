import Foundation
import HTTPTypes
import PalisadeAPI
import PalisadeAuth

/// Stage 2: acting as someone else (`kubectl --as`, `--as-group`, `--as-uid`). Each
/// `Impersonate-*` header is authorized with the `impersonate` verb for the caller first:
/// on users (or the service account named by a `system:serviceaccount:NS:NAME` user),
/// groups, uids and user extras; then the request continues as the impersonated user.
/// Any refusal is a 403 and nothing else happens.
struct ImpersonationStage: Sendable {
    static let extraPrefix = "impersonate-extra-"
    let authorizer: any Authorizer

    /// The user the request acts as: the caller, or whom the caller may impersonate.
    func effectiveUser(_ caller: UserInfo, headers: HTTPFields) async throws(APIError) -> UserInfo {
        let user = headers[HTTPField.Name("Impersonate-User")!]
        let groups = headers[values: HTTPField.Name("Impersonate-Group")!]
        let uid = headers[HTTPField.Name("Impersonate-Uid")!]
        var extra: [String: [String]] = [:]
        for field in headers where field.name.canonicalName.hasPrefix(Self.extraPrefix) {
            let key = String(field.name.canonicalName.dropFirst(Self.extraPrefix.count))
            extra[key.removingPercentEncoding ?? key, default: []].append(field.value)
        }
        guard let user else {
            if !groups.isEmpty || uid != nil || !extra.isEmpty {
                throw .badRequest("requested impersonation of groups, uid or extra without impersonating a user")
            }
            return caller
        }
        var impersonated = UserInfo(name: user, uid: uid ?? "", groups: groups, extra: extra)
        if let account = Self.serviceAccount(user) {
            try await require(caller, resource: "serviceaccounts", namespace: account.namespace, name: account.name)
            if groups.isEmpty { impersonated.groups = ["system:serviceaccounts", "system:serviceaccounts:\(account.namespace)"] }
        } else {
            try await require(caller, resource: "users", name: user)
        }
        for group in groups { try await require(caller, resource: "groups", name: group) }
        if let uid { try await require(caller, group: "authentication.k8s.io", resource: "uids", name: uid) }
        for (key, values) in extra.sorted(by: { $0.key < $1.key }) {
            for value in values {
                try await require(caller, group: "authentication.k8s.io", resource: "userextras", subresource: key, name: value)
            }
        }
        if !impersonated.groups.contains(UserInfo.authenticatedGroup) { impersonated.groups.append(UserInfo.authenticatedGroup) }
        return impersonated
    }

    /// `system:serviceaccount:NS:NAME` names a service account.
    static func serviceAccount(_ user: String) -> (namespace: String, name: String)? {
        let parts = user.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount", !parts[2].isEmpty, !parts[3].isEmpty else { return nil }
        return (parts[2], parts[3])
    }

    private func require(
        _ caller: UserInfo, group: String = "", resource: String, subresource: String = "", namespace: String = "", name: String
    ) async throws(APIError) {
        let attributes = AuthorizationAttributes(
            user: caller, verb: "impersonate", isResourceRequest: true, apiGroup: group, resource: resource,
            subresource: subresource, namespace: namespace, name: name
        )
        if case .allow = await authorizer.authorize(attributes) { return }
        var info = RequestInfo(isResourceRequest: true, path: "", verb: "impersonate")
        info.apiGroup = group
        info.resource = resource
        info.subresource = subresource
        info.namespace = namespace
        info.name = name
        throw AuthorizationStage.forbidden(info, user: caller, reason: "")
    }
}
