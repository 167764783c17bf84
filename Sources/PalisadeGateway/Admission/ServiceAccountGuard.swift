import PalisadeAPI

/// Kubernetes' ServiceAccount admission: a new Pod runs as `spec.serviceAccountName`,
/// `default` unless it names another, and that account must exist in its namespace. Every
/// namespace gets its `default` account when it is created (and again should it be missing
/// when a pod needs it), as Kubernetes' service-account controller provides. Token
/// projection comes with the node agent.
struct ServiceAccountGuard: MutatingAdmission, AdmissionCheck {
    static let serviceAccounts = ServedResources.lookup(group: "", version: "v1", resource: "serviceaccounts")!
    static let defaultName = "default"

    /// Accounts, cached.
    let reads: AdmissionReads
    /// The server's own writes pass no admission: the account goes only into a live namespace.
    let lifecycle: NamespaceLifecycleGuard
    /// Creates default accounts, without admission of its own.
    let writer: ObjectRegistry

    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        guard request.definition.isCore("pods") else { return request.object }
        var pod = request.object
        let name = pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? pod[path: ["spec", "serviceAccount"]]?.stringValue ?? ""
        let account = name.isEmpty ? Self.defaultName : name
        pod[path: ["spec", "serviceAccountName"]] = .string(account)
        pod[path: ["spec", "serviceAccount"]] = .string(account)
        return pod
    }

    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        guard request.definition.isCore("pods"), request.operation == .create, let namespace = request.object.namespace else { return [] }
        let account = request.object[path: ["spec", "serviceAccountName"]]?.stringValue ?? Self.defaultName
        do {
            _ = try await reads.get(Self.serviceAccounts, namespace: namespace, name: account)
        } catch where error.code == 404 {
            guard account == Self.defaultName else {
                let pod = request.object.name ?? ""
                throw .forbidden(
                    "pods \"\(pod)\" is forbidden: error looking up service account \(namespace)/\(account): serviceaccount \"\(account)\" not found",
                    name: pod, kind: "pods"
                )
            }
            // A dry run changes nothing; the real create would provide the account.
            if !request.dryRun { try await ensureDefault(in: namespace) }
        }
        return []
    }

    /// A namespace just stored gets its `default` account before its creator hears back.
    func settled(_ request: AdmissionRequest, stored: Bool) async {
        guard stored, request.definition.isCore("namespaces"), let name = request.object.name else { return }
        try? await ensureDefault(in: name)
    }

    /// Creates the namespace's `default` ServiceAccount unless it exists.
    func ensureDefault(in namespace: String) async throws(APIError) {
        try await lifecycle.requireActive(namespace)
        do {
            _ = try await writer.create(
                Self.serviceAccounts, namespace: namespace, body: ["metadata": ["name": .string(Self.defaultName)]], options: WriteOptions()
            )
        } catch where error.code == 409 {
            return
        }
    }
}
