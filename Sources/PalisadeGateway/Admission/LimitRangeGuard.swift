import PalisadeAPI
import PalisadeAdmission

/// LimitRanger in the request path: a new Pod gets the defaults of its namespace's
/// LimitRanges, then is refused (403, Kubernetes' wording) if it breaks any of their limits.
public struct LimitRangeGuard: MutatingAdmission, AdmissionCheck {
    static let limitRanges = ServedResources.lookup(group: "", version: "v1", resource: "limitranges")!

    /// Reads over the same store, without admission of their own.
    let reader: ObjectRegistry

    public init(reader: ObjectRegistry) {
        self.reader = reader
    }

    public func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        guard Self.isPod(request) else { return request.object }
        var pod = request.object
        LimitRanger.applyDefaults(try await limitRanges(of: request), to: &pod)
        return pod
    }

    public func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        guard Self.isPod(request), request.operation == .create else { return [] }
        let violations = LimitRanger.violations(try await limitRanges(of: request), pod: request.object)
        guard !violations.isEmpty else { return [] }
        let name = request.object.name ?? ""
        let list = violations.count == 1 ? violations[0] : "[\(violations.joined(separator: ", "))]"
        throw .forbidden("pods \"\(name)\" is forbidden: \(list)", name: name, kind: "pods")
    }

    private static func isPod(_ request: AdmissionRequest) -> Bool {
        request.definition.group.isEmpty && request.definition.plural == "pods"
    }

    private func limitRanges(of request: AdmissionRequest) async throws(APIError) -> [JSONValue] {
        try await reader.list(Self.limitRanges, namespace: request.object.namespace ?? "", options: ListOptions()).items
    }
}
