import PalisadeAPI
import Synchronization

/// The objects admission reads on nearly every create (a namespace, its service accounts,
/// LimitRanges and ResourceQuotas), kept in memory until a write of their kind commits. The
/// registries report committed writes before the writer hears back, so a change governs the
/// next request, as with the RBAC policy; a read that raced a write is not kept.
public final class AdmissionReads: WriteObserver, Sendable {
    static let cachedResources: Set<String> = ["namespaces", "serviceaccounts", "limitranges", "resourcequotas"]

    private enum Entry {
        case object(JSONValue)
        case list([JSONValue])
    }

    private struct Key: Hashable {
        let resource: String
        let namespace: String
        /// nil for the list of the namespace.
        let name: String?
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Bumped by every committed write of a resource.
        var generations: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let store: ObjectRegistry

    /// - Parameter store: a registry to read through on a miss (one without admission).
    init(store: ObjectRegistry) {
        self.store = store
    }

    public func committed(_ definition: ResourceDefinition, revision: Int64) {
        guard definition.group.isEmpty, Self.cachedResources.contains(definition.plural) else { return }
        state.withLock { state in
            state.generations[definition.plural, default: 0] += 1
            state.entries = state.entries.filter { $0.key.resource != definition.plural }
        }
    }

    func get(_ definition: ResourceDefinition, namespace: String?, name: String) async throws(APIError) -> JSONValue {
        let key = Key(resource: definition.plural, namespace: namespace ?? "", name: name)
        if case .object(let object) = cached(key) { return object }
        let generation = self.generation(of: key.resource)
        let object = try await store.get(definition, namespace: namespace, name: name)
        keep(.object(object), at: key, ifStillAt: generation)
        return object
    }

    func list(_ definition: ResourceDefinition, namespace: String) async throws(APIError) -> [JSONValue] {
        let key = Key(resource: definition.plural, namespace: namespace, name: nil)
        if case .list(let items) = cached(key) { return items }
        let generation = self.generation(of: key.resource)
        let items = try await store.list(definition, namespace: namespace, options: ListOptions()).items
        keep(.list(items), at: key, ifStillAt: generation)
        return items
    }

    private func cached(_ key: Key) -> Entry? {
        guard Self.cachedResources.contains(key.resource) else { return nil }
        return state.withLock { $0.entries[key] }
    }

    private func generation(of resource: String) -> Int {
        state.withLock { $0.generations[resource, default: 0] }
    }

    private func keep(_ entry: Entry, at key: Key, ifStillAt generation: Int) {
        guard Self.cachedResources.contains(key.resource) else { return }
        state.withLock { state in
            if state.generations[key.resource, default: 0] == generation { state.entries[key] = entry }
        }
    }
}
