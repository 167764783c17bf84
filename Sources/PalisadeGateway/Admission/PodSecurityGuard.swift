import PalisadeAPI
import PalisadeAdmission
import PalisadeAudit
import PalisadeAuth

/// Pod Security admission in the request path. It reads what the decision needs (the
/// namespace's labels; a namespace's pods when its enforce level tightens) and leaves the
/// judging to ``PodSecurityAdmission``: pods are refused or warned about, workloads warned
/// about, namespaces with unusable policy labels refused.
struct PodSecurityGuard: AdmissionCheck {
    static let pods = ServedResources.lookup(group: "", version: "v1", resource: "pods")!

    let admission: PodSecurityAdmission
    /// Namespaces, cached.
    let reads: AdmissionReads
    /// Pods, read fresh over the same store.
    let reader: ObjectRegistry

    init(admission: PodSecurityAdmission, reads: AdmissionReads, reader: ObjectRegistry) {
        self.admission = admission
        self.reads = reads
        self.reader = reader
    }

    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        let definition = request.definition
        if definition.isCore("namespaces") {
            return try await admitNamespace(request)
        }
        guard PodTemplateExtraction.carriesPod(group: definition.group, resource: definition.plural) else { return [] }
        let namespace = request.object.namespace ?? ""
        let decision = admission.admit(
            .init(
                group: definition.group, resource: definition.plural, namespace: namespace,
                namespaceLabels: try await labels(ofNamespace: namespace), object: request.object, old: request.old,
                username: request.user?.name ?? ""
            )
        )
        AuditContext.record(decision.auditAnnotations)
        if let denial = decision.denial {
            let name = request.object.name ?? ""
            throw .forbidden("\(definition.plural) \"\(name)\" is forbidden: \(denial)", name: name, group: definition.group, kind: definition.plural)
        }
        return decision.warnings
    }

    /// Refuses policy labels that name no level or version, and warns about existing pods
    /// when the enforce policy tightens (they keep running, as in Kubernetes).
    private func admitNamespace(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        let name = request.object.name ?? ""
        let labels = Self.labels(of: request.object)
        let errors = admission.labelErrors(labels)
        guard errors.isEmpty else {
            let causes = errors.map { error in
                APIError.Cause.invalid(FieldPath("metadata", "labels").key(error.label), value: error.value, error.message)
            }
            throw .invalid(kind: "Namespace", name: name, causes: causes)
        }
        if let warning = admission.exemptNamespaceWarning(namespace: name, labels: labels) { return [warning] }
        guard let old = request.old, admission.enforceChanged(namespace: name, old: Self.labels(of: old), new: labels) else { return [] }
        let pods = try await reader.list(Self.pods, namespace: name, options: ListOptions()).items
        return admission.existingPodWarnings(namespace: name, labels: labels, pods: pods)
    }

    private func labels(ofNamespace namespace: String) async throws(APIError) -> [String: String] {
        // The registry refuses writes into a missing namespace before admission runs.
        Self.labels(of: try await reads.get(NamespaceRules.definition, namespace: nil, name: namespace))
    }

    private static func labels(of object: JSONValue) -> [String: String] {
        object[path: ["metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }
}
