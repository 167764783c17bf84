import PalisadeAPI
import PalisadeAuth

/// How strictly a write treats fields the schema does not know (`fieldValidation`).
public enum FieldValidation: String, Sendable {
    case ignore = "Ignore"
    case warn = "Warn"
    case strict = "Strict"
}

/// Options common to create, update and patch.
public struct WriteOptions: Sendable {
    public var dryRun = false
    public var fieldValidation = FieldValidation.warn
    /// The client the write is for; nil for the server's own writes (bootstrap).
    public var user: UserInfo?

    public init(dryRun: Bool = false, fieldValidation: FieldValidation = .warn) {
        self.dryRun = dryRun
        self.fieldValidation = fieldValidation
    }
}

/// What a write returns: the object as stored (or as it would be, for a dry run),
/// whether it was created, and warnings for the client (`Warning` headers).
public struct WriteResult: Sendable {
    public var object: JSONValue
    public var created: Bool
    public var warnings: [String]
}

/// `metav1.DeleteOptions`, as far as the registry acts on it.
public struct DeleteOptions: Sendable {
    public enum Propagation: String, Sendable {
        case orphan = "Orphan"
        case background = "Background"
        case foreground = "Foreground"
    }

    public var gracePeriodSeconds: Int64?
    public var propagation: Propagation?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var dryRun = false

    public init() {}

    /// Reads a DeleteOptions body (kubectl sends it without `kind`).
    public init(body: JSONValue?) throws(APIError) {
        guard let body, !body.isNull else { return }
        guard body.objectValue != nil else { throw .badRequest("the DeleteOptions body must be a JSON object") }
        gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue
        if let policy = body["propagationPolicy"]?.stringValue {
            guard let value = Propagation(rawValue: policy) else {
                throw .badRequest("propagationPolicy must be one of Orphan, Background, Foreground")
            }
            propagation = value
        } else if body["orphanDependents"]?.boolValue == true {
            propagation = .orphan
        }
        preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
        preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
        dryRun = !(body["dryRun"]?.arrayValue ?? []).isEmpty
    }
}

/// The selection and paging of a list or watch.
public struct ListOptions: Sendable {
    public var labelSelector = LabelSelector.everything
    public var fieldSelector = FieldSelector.everything
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?
    /// When set, only objects with these names are listed or watched (the namespaces a user
    /// may see, see `NamespaceVisibility`).
    public var visibleNames: Set<String>?

    public init() {}
}
