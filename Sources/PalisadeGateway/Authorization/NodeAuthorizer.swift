import PalisadeAPI
import PalisadeAuth

/// Kubernetes' Node authorizer, made stricter: a node (`system:node:<name>` in
/// `system:nodes`) may read only what running its own pods needs and write only its own
/// objects; everything else is denied here, whatever RBAC says.
///
/// - Its pods: `get`, `delete` and `status` writes only for pods bound to it; `list` and
///   `watch` only with the field selector `spec.nodeName=<name>`; no creates.
/// - Secrets, ConfigMaps, PersistentVolumeClaims and ServiceAccounts: `get` (or a list or
///   watch selecting one by `metadata.name`) only when a pod bound to it uses them.
/// - Its Node and its Lease in `kube-node-lease` (creating either is allowed here; the name
///   of a created one is checked by admission); reading other Nodes, Services, Endpoints
///   and EndpointSlices; writing Events; token and access reviews.
/// - Certificate requests (Kubernetes' `selfnodeclient`): creating them, and `get` (or a
///   list or watch selecting one by `metadata.name`) of those the node itself made.
struct NodeAuthorizer: Authorizer {
    static let group = "system:nodes"
    static let userPrefix = "system:node:"
    static let reads: Set<String> = ["get", "list", "watch"]

    /// The pods bound to a node. A failed read denies (fail closed).
    let pods: @Sendable (_ node: String) async throws -> [JSONValue]
    /// The CertificateSigningRequest of that name, nil when there is none. A failed read denies.
    let certificateRequest: @Sendable (_ name: String) async throws -> JSONValue?

    /// The node a user is, if any.
    static func nodeName(of user: UserInfo) -> String? {
        guard user.groups.contains(group), user.name.hasPrefix(userPrefix), user.name.count > userPrefix.count else { return nil }
        return String(user.name.dropFirst(userPrefix.count))
    }

    func authorize(_ request: AuthorizationAttributes) async -> AuthorizationDecision {
        guard let node = Self.nodeName(of: request.user) else { return .noOpinion(reason: "") }
        // Discovery, health and version are RBAC's to decide, as for anyone.
        guard request.isResourceRequest else { return .noOpinion(reason: "") }
        let verb = request.verb
        switch (request.apiGroup, request.resource) {
        case ("", "nodes"):
            if request.subresource.isEmpty && Self.reads.contains(verb) { return allow("nodes are readable by nodes") }
            guard ["", "status"].contains(request.subresource) else { break }
            if verb == "create" && request.subresource.isEmpty { return allow("a node registers itself") }
            if ["update", "patch"].contains(verb) && request.name == node { return allow("its own Node") }
        case ("coordination.k8s.io", "leases") where request.namespace == "kube-node-lease":
            if verb == "create" { return allow("a node creates its Lease") }
            if ["get", "update", "patch"].contains(verb) && request.name == node { return allow("its own Lease") }
        case ("", "pods"):
            return await authorizePods(request, node: node)
        case ("", "secrets"), ("", "configmaps"), ("", "persistentvolumeclaims"), ("", "serviceaccounts"):
            return await authorizeReference(request, node: node)
        case ("", "services"), ("", "endpoints"), ("discovery.k8s.io", "endpointslices"):
            if Self.reads.contains(verb) { return allow("service discovery") }
        case ("", "events"):
            if ["create", "update", "patch"].contains(verb) { return allow("nodes report events") }
        case ("certificates.k8s.io", "certificatesigningrequests") where request.subresource.isEmpty:
            return await authorizeCertificateRequest(request, node: node)
        case ("authentication.k8s.io", "tokenreviews"), ("authorization.k8s.io", "subjectaccessreviews"):
            if verb == "create" { return allow("nodes check their own callers") }
        default:
            break
        }
        return deny(node, request, "not among what a node may do")
    }

    private func authorizePods(_ request: AuthorizationAttributes, node: String) async -> AuthorizationDecision {
        switch (request.verb, request.subresource) {
        case ("list", ""), ("watch", ""):
            return request.fieldSelector == "spec.nodeName=\(node)"
                ? allow("its pods") : deny(node, request, "a node lists only its pods, with the field selector spec.nodeName=\(node)")
        case ("get", ""), ("delete", ""), ("update", "status"), ("patch", "status"):
            do {
                let bound = try await pods(node).contains { $0.namespace == request.namespace && $0.name == request.name }
                return bound ? allow("a pod bound to it") : deny(node, request, "the pod is not bound to this node")
            } catch {
                return deny(node, request, "its pods cannot be read")
            }
        default:
            return deny(node, request, "not among what a node may do with pods")
        }
    }

    /// Reads of what a bound pod uses, by name.
    private func authorizeReference(_ request: AuthorizationAttributes, node: String) async -> AuthorizationDecision {
        let name: String
        switch Read(request) {
        case .named(let named): name = named
        case .unselected: return deny(node, request, "a node reads these one by one (fieldSelector metadata.name=...)")
        case .notARead: return deny(node, request, "a node only reads these")
        }
        do {
            let used = try await pods(node).contains { pod in
                pod.namespace == request.namespace && PodReferences(pod).names(of: request.resource).contains(name)
            }
            return used ? allow("used by a pod bound to it") : deny(node, request, "no pod bound to this node uses it")
        } catch {
            return deny(node, request, "its pods cannot be read")
        }
    }

    /// Creating certificate requests, and reading back those the node made itself (whose
    /// `spec.username` is the node), one by one. The answer is the same whether another
    /// node's request exists or not.
    private func authorizeCertificateRequest(_ request: AuthorizationAttributes, node: String) async -> AuthorizationDecision {
        if request.verb == "create" { return allow("a node asks for its client certificate") }
        guard case .named(let name) = Read(request) else {
            return deny(node, request, "a node reads only its own certificate requests, one by one (fieldSelector metadata.name=...)")
        }
        do {
            let own = try await certificateRequest(name)?[path: ["spec", "username"]]?.stringValue == Self.userPrefix + node
            return own ? allow("its own certificate request") : deny(node, request, "not a certificate request of this node")
        } catch {
            return deny(node, request, "its certificate requests cannot be read")
        }
    }

    /// What a request reads: one object by name (a `get`, or a list or watch selecting
    /// exactly `metadata.name=<name>`), a whole collection, or nothing (not a read).
    private enum Read {
        case named(String)
        case unselected
        case notARead

        init(_ request: AuthorizationAttributes) {
            switch request.verb {
            case "get": self = .named(request.name)
            case "list", "watch":
                guard request.fieldSelector.hasPrefix("metadata.name="), !request.fieldSelector.contains(",") else { self = .unselected; return }
                self = .named(String(request.fieldSelector.dropFirst("metadata.name=".count)))
            default: self = .notARead
            }
        }
    }

    private func allow(_ why: String) -> AuthorizationDecision {
        .allow(reason: "Palisade Node authorizer: \(why)")
    }

    private func deny(_ node: String, _ request: AuthorizationAttributes, _ why: String) -> AuthorizationDecision {
        .deny(reason: "node \"\(node)\": \(why)")
    }
}
