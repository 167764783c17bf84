import PalisadeAPI

/// Learns of every write the registry commits, before the writer's client gets its answer.
/// Caches that must reflect a write on the very next request (the RBAC policy) use it to know
/// which revision they have to reach.
public protocol WriteObserver: Sendable {
    func committed(_ definition: ResourceDefinition, revision: Int64)
}
