import Foundation
import PalisadeAPI
import PalisadeStore

/// What a DELETE did: the object as removed, or as marked for a deletion still pending.
public struct DeleteResult: Sendable {
    public var object: JSONValue
    public var isRemoved: Bool
}

extension ObjectRegistry {
    /// Deletes an object, or starts its deletion: an object with finalizers (or a pod bound
    /// to a node, which must stop first) gets a `deletionTimestamp` and stays until they are
    /// done. A namespace whose `spec.finalizers` still name `kubernetes` goes Terminating until
    /// the namespace controller has removed its content and finalized it.
    public func delete(
        _ definition: ResourceDefinition, namespace: String?, name: String, options: DeleteOptions
    ) async throws(APIError) -> DeleteResult {
        while true {
            let old = try await get(definition, namespace: namespace, name: name)
            try checkPreconditions(old, definition, options)
            if options.dryRun { return DeleteResult(object: old, isRemoved: false) }
            var finalizers = old.finalizers
            switch options.propagation {
            case .foreground?: if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            case .orphan?: if !finalizers.contains("orphan") { finalizers.append("orphan") }
            case .background?, nil: break
            }
            let grace = gracePeriod(old, definition, options)
            let isNamespace = definition.isCore("namespaces")
            if isNamespace && Self.undeletableNamespaces.contains(name) {
                throw .forbidden("namespace \"\(name)\" is forbidden: this namespace may not be deleted", name: name, kind: "namespaces")
            }
            let key = StorageKey.object(definition, namespace: namespace, name: name)
            let revision = Int64(old.resourceVersion ?? "")
            do {
                if finalizers.isEmpty && grace == 0 && !NamespaceRules.awaitsItsController(old, definition) {
                    let kv = try await store.delete(key, expectedRevision: revision)
                    committed(definition, revision: kv.modRevision)
                    var deleted = old
                    deleted.resourceVersion = String(kv.modRevision)
                    return DeleteResult(object: deleted, isRemoved: true)
                }
                // A second delete may only shorten a pending grace period (a node's final grace-0 delete).
                let shortens = old.deletionTimestamp != nil && grace < (old[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue ?? 0)
                if old.deletionTimestamp != nil && finalizers == old.finalizers && !shortens { return DeleteResult(object: old, isRemoved: false) }
                var marked = old
                marked.finalizers = finalizers
                if marked.deletionTimestamp == nil || shortens {
                    marked.deletionTimestamp = Timestamp.format(now().addingTimeInterval(TimeInterval(grace)))
                    marked[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(grace)
                }
                if isNamespace { marked[path: ["status", "phase"]] = "Terminating" }
                let kv = try await store.update(key, value: ObjectCodec.encode(marked), expectedRevision: revision)
                committed(definition, revision: kv.modRevision)
                marked.resourceVersion = String(kv.modRevision)
                return DeleteResult(object: marked, isRemoved: false)
            } catch {
                if case .revisionMismatch = error.code { continue }
                throw error.apiError(definition, name: name)
            }
        }
    }

    /// Namespaces the cluster itself needs, as in Kubernetes.
    static let undeletableNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    /// Deletes every object the selectors match; returns them.
    public func deleteCollection(
        _ definition: ResourceDefinition, namespace: String?, listOptions: ListOptions, options: DeleteOptions
    ) async throws(APIError) -> [JSONValue] {
        var listing = listOptions
        listing.limit = nil
        listing.continueToken = nil
        var deleted: [JSONValue] = []
        for object in try await list(definition, namespace: namespace, options: listing).items {
            do {
                deleted.append(try await delete(definition, namespace: object.namespace, name: object.name ?? "", options: options).object)
            } catch where error.code == 404 {
                continue
            }
        }
        return deleted
    }

    private func checkPreconditions(_ object: JSONValue, _ definition: ResourceDefinition, _ options: DeleteOptions) throws(APIError) {
        let name = object.name ?? ""
        if let uid = options.preconditionUID, uid != object.uid {
            throw .conflict(resource: definition.plural, group: definition.group, name: name,
                            "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.uid ?? "")")
        }
        if let version = options.preconditionResourceVersion, version != object.resourceVersion {
            throw .conflict(resource: definition.plural, group: definition.group, name: name,
                            "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(object.resourceVersion ?? "")")
        }
    }

    /// Seconds a deletion waits for: only pods running on a node get a grace period,
    /// because only there something (the node agent) must stop first.
    private func gracePeriod(_ object: JSONValue, _ definition: ResourceDefinition, _ options: DeleteOptions) -> Int64 {
        guard definition.group.isEmpty, definition.plural == "pods",
            let node = object[path: ["spec", "nodeName"]]?.stringValue, !node.isEmpty,
            object[path: ["status", "phase"]]?.stringValue != "Succeeded", object[path: ["status", "phase"]]?.stringValue != "Failed"
        else { return 0 }
        return max(0, options.gracePeriodSeconds ?? object[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30)
    }
}
