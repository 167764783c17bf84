import PalisadeAPI

/// Kubernetes' NodeRestriction, the part the Node authorizer cannot see (a created object's
/// name is in its body): a node creates only its own Node and its own Lease.
struct NodeRestriction: AdmissionCheck {
    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        guard request.operation == .create, let user = request.user, let node = NodeAuthorizer.nodeName(of: user) else { return [] }
        let definition = request.definition
        let name = request.object.name ?? ""
        let isOwnObject = definition.isCore("nodes") || (definition.group == "coordination.k8s.io" && definition.plural == "leases")
        guard isOwnObject, name != node else { return [] }
        throw .forbidden(
            "\(definition.plural) \"\(name)\" is forbidden: node \"\(node)\" may only create its own \(definition.kind)",
            name: name, group: definition.group, kind: definition.plural
        )
    }
}
