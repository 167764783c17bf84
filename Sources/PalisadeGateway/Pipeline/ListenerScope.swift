import PalisadeAPI

/// What a listener serves at all, checked right after authentication and before
/// authorization. The main gateway serves everything (RBAC decides); the bootstrap listener
/// only creating and reading CertificateSigningRequests, so a bootstrap token is good for
/// nothing else whatever RBAC grants its groups. Anything outside the scope is a 404, as for
/// a path the server does not have.
struct ListenerScope: Sendable {
    let serves: @Sendable (RequestInfo) -> Bool

    static let everything = ListenerScope { _ in true }

    /// `create`, `get`, `list` and `watch` of `certificates.k8s.io/v1` CertificateSigningRequests, no subresource.
    static let certificateSigningRequests = ListenerScope { info in
        info.isResourceRequest && info.apiGroup == "certificates.k8s.io" && info.apiVersion == "v1"
            && info.resource == "certificatesigningrequests" && info.subresource.isEmpty
            && ["create", "get", "list", "watch"].contains(info.verb)
    }

    func check(_ info: RequestInfo) throws(APIError) {
        guard serves(info) else { throw .pathNotFound }
    }
}
