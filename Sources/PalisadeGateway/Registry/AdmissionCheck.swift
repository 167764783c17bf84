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
}

/// A check every create and update passes before it reaches the store; it refuses by
/// throwing, and may return warnings for the client. (The admission chain of a later issue
/// plugs in here.)
public protocol AdmissionCheck: Sendable {
    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String]
}

/// A plugin that may change a new object before it is judged, as Kubernetes' mutating
/// admission does (LimitRanger's defaults): it returns the object to continue with, which
/// is then defaulted and validated again. Mutation runs on create only.
public protocol MutatingAdmission: Sendable {
    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue
}
