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
