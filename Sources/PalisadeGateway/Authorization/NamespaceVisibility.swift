import PalisadeAPI
import PalisadeAuth

/// `kubectl get namespaces` for a user who may not list every namespace: instead of a 403,
/// the list (or watch) is narrowed to the namespaces where the user holds any permission,
/// which Kubernetes cannot do (kubernetes/kubernetes#48537). A user who holds nothing
/// anywhere is still refused. The set is taken when the request is authorized; a watch keeps
/// it for its lifetime.
struct NamespaceVisibility: Sendable {
    /// What the audit event gives as the reason for the narrowed allow.
    static let reason = "Palisade: namespaces listed are those where the user holds a permission"

    let policy: @Sendable () async -> RBACPolicy

    /// Whether a refused request may be answered narrowed instead: a list or watch of all namespaces.
    static func applies(to info: RequestInfo) -> Bool {
        info.isResourceRequest && info.apiGroup.isEmpty && info.resource == "namespaces" && info.name.isEmpty
            && info.subresource.isEmpty && (info.verb == "list" || info.verb == "watch")
    }

    /// The namespaces `user` may see: nil for all of them, an empty set for none.
    func visibleNamespaces(for user: UserInfo) async -> Set<String>? {
        await policy().namespacesGrantingAnything(to: user)
    }
}
