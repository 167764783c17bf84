import PalisadeAPI
import PalisadeAuth

/// A write about to be stored, after defaulting and validation.
public struct AdmissionRequest: Sendable {
    public enum Operation: String, Sendable {
        case create = "CREATE"
        case update = "UPDATE"
    }

    public let operation: Operation
    public let definition: ResourceDefinition
    public let object: JSONValue
    public let old: JSONValue?
    /// Who asks; nil for the server's own writes.
    public let user: UserInfo?
    /// A dry run is judged like any write but must change nothing (no quota is charged).
    public let dryRun: Bool
}

/// A check every create and update passes before it reaches the store; it refuses by
/// throwing, and may return warnings for the client.
public protocol AdmissionCheck: Sendable {
    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String]

    /// After a create this check admitted: whether the object was stored. A check that
    /// reserved something for the write (a quota charge) keeps or returns it here. Called
    /// exactly once per admitted create, also when a later check or the store refused it.
    func settled(_ request: AdmissionRequest, stored: Bool) async
}

extension AdmissionCheck {
    public func settled(_ request: AdmissionRequest, stored: Bool) async {}
}

/// A plugin that may change a new object before it is judged, as Kubernetes' mutating
/// admission does (LimitRanger's defaults): it returns the object to continue with, which
/// is then defaulted and validated again. Mutation runs on create only.
public protocol MutatingAdmission: Sendable {
    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue
}
