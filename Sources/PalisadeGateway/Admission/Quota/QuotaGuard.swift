import PalisadeAPI
import PalisadeAdmission

/// ResourceQuota in the request path, last of the checks as in Kubernetes: a new object is
/// charged to its namespace's quotas (or refused, 403, with Kubernetes' message) and the
/// charge is kept or given back once the registry knows whether the object was stored.
struct QuotaGuard: AdmissionCheck {
    let ledger: QuotaLedger

    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        let definition = request.definition
        guard request.operation == .create, definition.namespaced, let namespace = request.object.namespace else { return [] }
        let usage = QuotaUsage.usage(of: request.object, group: definition.group, resource: definition.plural)
        guard !usage.isEmpty else { return [] }
        let refusal = { (reason: String) in "\(definition.plural) \"\(request.object.name ?? "")\" is forbidden: \(reason)" }
        try await ledger.charge(
            usage, uid: request.object.uid ?? "", namespace: namespace, describe: refusal, dryRun: request.dryRun,
            unspecified: definition.isCore("pods")
                ? { hard in QuotaUsage.unspecified(pod: request.object, hard: hard) } : nil
        )
        return []
    }

    func settled(_ request: AdmissionRequest, stored: Bool) async {
        guard request.operation == .create, let namespace = request.object.namespace else { return }
        await ledger.settle(uid: request.object.uid ?? "", namespace: namespace, stored: stored)
    }
}
