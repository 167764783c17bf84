import PalisadeAPI
import PalisadeAdmission

/// LimitRanger in the request path: a new Pod gets the defaults of its namespace's
/// LimitRanges, then is refused (403, Kubernetes' wording) if it breaks any of their limits;
/// a new PersistentVolumeClaim is refused if its storage request is out of bounds. Both
/// happen in the mutating step, on one read of the LimitRanges.
struct LimitRangeGuard: MutatingAdmission {
    static let limitRanges = ServedResources.lookup(group: "", version: "v1", resource: "limitranges")!

    let reads: AdmissionReads

    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        let isPod = request.definition.isCore("pods")
        guard isPod || request.definition.isCore("persistentvolumeclaims") else { return request.object }
        let limitRanges = try await reads.list(Self.limitRanges, namespace: request.object.namespace ?? "")
        guard !limitRanges.isEmpty else { return request.object }
        var object = request.object
        let violations: [String]
        if isPod {
            LimitRanger.applyDefaults(limitRanges, to: &object)
            violations = LimitRanger.violations(limitRanges, pod: object)
        } else {
            violations = LimitRanger.violations(limitRanges, claim: object)
        }
        guard !violations.isEmpty else { return object }
        let name = object.name ?? ""
        let list = violations.count == 1 ? violations[0] : "[\(violations.joined(separator: ", "))]"
        let resource = request.definition.plural
        throw .forbidden("\(resource) \"\(name)\" is forbidden: \(list)", name: name, kind: resource)
    }
}
