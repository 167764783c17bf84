import PalisadeAPI
import PalisadeStore

extension StoreError {
    /// The client-facing error for a store failure on one object.
    func apiError(_ definition: ResourceDefinition, name: String) -> APIError {
        switch code {
        case .keyExists: return .alreadyExists(resource: definition.plural, group: definition.group, name: name)
        case .keyNotFound: return .notFound(resource: definition.plural, group: definition.group, name: name)
        case .revisionMismatch: return .conflict(resource: definition.plural, group: definition.group, name: name, Self.modifiedMessage)
        case .compacted, .watcherTooSlow, .backend, .unreadable: return apiError
        }
    }

    /// The client-facing error when no single object is concerned.
    var apiError: APIError {
        switch code {
        case .compacted(let revision):
            return .gone("too old resource version: the oldest available is \(revision + 1)")
        case .watcherTooSlow:
            return .gone("the watch fell too far behind and was closed; list again")
        case .unreadable:
            return .storedObjectUnreadable(description)
        case .keyExists, .keyNotFound, .revisionMismatch, .backend:
            return .serviceUnavailable("the storage backend is unavailable")
        }
    }

    static let modifiedMessage = "the object has been modified; please apply your changes to the latest version and try again"
}
