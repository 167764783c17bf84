import PalisadeAPI
import PalisadeAdmission

/// LimitRanger in the request path: a new Pod gets the defaults of its namespace's
/// LimitRanges, then is refused (403, Kubernetes' wording) if it breaks any of their limits.
/// Both happen in the mutating step, on one read of the LimitRanges.
struct LimitRangeGuard: MutatingAdmission {
    static let limitRanges = ServedResources.lookup(group: "", version: "v1", resource: "limitranges")!

    let reads: AdmissionReads

    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        guard request.definition.isCore("pods") else { return request.object }
        let limitRanges = try await reads.list(Self.limitRanges, namespace: request.object.namespace ?? "")
        guard !limitRanges.isEmpty else { return request.object }
        var pod = request.object
        LimitRanger.applyDefaults(limitRanges, to: &pod)
        let violations = LimitRanger.violations(limitRanges, pod: pod)
        guard !violations.isEmpty else { return pod }
        let name = pod.name ?? ""
        let list = violations.count == 1 ? violations[0] : "[\(violations.joined(separator: ", "))]"
        throw .forbidden("pods \"\(name)\" is forbidden: \(list)", name: name, kind: "pods")
    }
}
