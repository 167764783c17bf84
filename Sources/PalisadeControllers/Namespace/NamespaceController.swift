import Foundation
import Logging
import PalisadeAPI

/// Ends terminating namespaces, as Kubernetes' namespace controller does: deletes every
/// namespaced object in them, kind by kind (a collection delete each), reports what is
/// left in the namespace's conditions (`NamespaceContentRemaining`,
/// `NamespaceFinalizersRemaining`), and once nothing is left removes `kubernetes` from its
/// `spec.finalizers` through the `finalize` subresource, which lets the server remove it.
/// Pods on nodes and objects with finalizers hold a namespace up; it is looked at again
/// every `retryInterval` until they are gone.
public final class NamespaceController: Sendable {
    public static let name = "namespace-controller"
    static let finalizer = "kubernetes"

    let client: APIClient
    let logger: Logger
    let retryInterval: Duration
    let namespaces: Informer

    public init(client: APIClient, informers: InformerFactory, retryInterval: Duration = .seconds(2), logger: Logger) {
        self.client = client
        self.logger = logger
        self.retryInterval = retryInterval
        namespaces = informers.informer("/api/v1/namespaces")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [namespaces],
            triggers: [.init(namespaces) { change in change.object.deletionTimestamp == nil ? [] : [Informer.key(change.object)] }],
            workers: 2, logger: logger
        )
        await loop.run { [self] name in
            if try await self.sync(name) == false { loop.queue.add(name, after: retryInterval) }
        }
    }

    /// The namespaced kinds whose objects a namespace holds.
    static var contentKinds: [ResourceDefinition] {
        ServedResources.all.filter { $0.namespaced && $0.verbs.contains("deletecollection") }
    }

    static func collection(_ definition: ResourceDefinition, in namespace: String) -> String {
        let root = definition.group.isEmpty ? "/api/\(definition.version)" : "/apis/\(definition.group)/\(definition.version)"
        return "\(root)/namespaces/\(namespace)/\(definition.plural)"
    }

    /// One pass over a terminating namespace; true when it is finished with.
    func sync(_ name: String) async throws -> Bool {
        guard let namespace = namespaces.object(name), namespace.deletionTimestamp != nil else { return true }
        let pending = namespace[path: ["spec", "finalizers"]]?.arrayValue?.compactMap(\.stringValue) ?? [Self.finalizer]
        guard pending.contains(Self.finalizer) else { return true }
        var remaining: [String: Int] = [:]
        var finalizers: [String: Int] = [:]
        for definition in Self.contentKinds {
            let collection = Self.collection(definition, in: name)
            try await client.delete(collection)
            for object in try await client.list(collection).items {
                remaining[definition.qualifiedName, default: 0] += 1
                for finalizer in object.finalizers { finalizers[finalizer, default: 0] += 1 }
            }
        }
        if remaining.isEmpty {
            var finalized = namespace
            finalized[path: ["spec", "finalizers"]] = .array(pending.filter { $0 != Self.finalizer }.map(JSONValue.string))
            try await client.update("/api/v1/namespaces/\(name)/finalize", finalized)
            return true
        }
        try await report(namespace, remaining: remaining, finalizers: finalizers)
        return false
    }

    /// Says in the namespace's conditions what holds it up (as Kubernetes words it).
    private func report(_ namespace: JSONValue, remaining: [String: Int], finalizers: [String: Int]) async throws {
        let now = JSONValue.string(Timestamp.format(Date()))
        func condition(_ type: String, _ message: String?) -> JSONValue {
            let previous = (namespace[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"]?.stringValue == type }
            let status = message == nil ? "False" : "True"
            let since = previous?["status"]?.stringValue == status ? previous?["lastTransitionTime"] ?? now : now
            return [
                "type": .string(type), "status": .string(status), "lastTransitionTime": since,
                "reason": .string(message == nil ? "ContentDeleted" : (type == "NamespaceContentRemaining" ? "SomeResourcesRemain" : "SomeFinalizersRemain")),
                "message": .string(message ?? "All content successfully deleted, may be waiting on finalization"),
            ]
        }
        let content = remaining.keys.sorted().map { "\($0) has \(remaining[$0]!) resource instances" }.joined(separator: ", ")
        let held = finalizers.keys.sorted().map { "\($0) in \(finalizers[$0]!) resource instances" }.joined(separator: ", ")
        let conditions: [JSONValue] = [
            condition("NamespaceContentRemaining", "Some resources are remaining: \(content)"),
            condition("NamespaceFinalizersRemaining", finalizers.isEmpty ? nil : "Some content in the namespace has finalizers remaining: \(held)"),
        ]
        guard namespace[path: ["status", "conditions"]] != .array(conditions) else { return }
        var updated = namespace
        updated[path: ["status", "conditions"]] = .array(conditions)
        try await client.update("/api/v1/namespaces/\(namespace.name ?? "")/status", updated)
    }
}
