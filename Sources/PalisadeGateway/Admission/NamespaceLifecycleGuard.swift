import PalisadeAPI

/// Kubernetes' NamespaceLifecycle admission, first in the chain: a new object goes only into
/// a namespace that exists (404 otherwise) and is not being deleted (403), so nothing is
/// left behind in a namespace the finalizer is emptying. (Deleting the system namespaces is
/// refused by the registry's delete.) It changes nothing; it runs among the mutating plugins
/// only so that it comes before them, as upstream.
struct NamespaceLifecycleGuard: MutatingAdmission {
    /// Namespaces, cached.
    let reads: AdmissionReads

    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        if request.definition.namespaced, let namespace = request.object.namespace {
            try await requireActive(namespace)
        }
        return request.object
    }

    func requireActive(_ namespace: String) async throws(APIError) {
        let object: JSONValue
        do {
            object = try await reads.get(NamespaceRules.definition, namespace: nil, name: namespace)
        } catch where error.code == 404 {
            throw .notFound(resource: "namespaces", name: namespace)
        }
        if Self.isTerminating(object) {
            throw .forbidden(
                "unable to create new content in namespace \(namespace) because it is being terminated",
                name: namespace, kind: "namespaces"
            )
        }
    }

    static func isTerminating(_ namespace: JSONValue) -> Bool {
        namespace.deletionTimestamp != nil || namespace[path: ["status", "phase"]]?.stringValue == "Terminating"
    }
}
