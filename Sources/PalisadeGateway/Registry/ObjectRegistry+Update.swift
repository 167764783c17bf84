import Foundation
import PalisadeAPI
import PalisadeStore

extension ObjectRegistry {
    /// Replaces an object (PUT). With `metadata.resourceVersion` in the body the write is
    /// conditional (409 when stale); without it, it applies to the newest version.
    public func update(
        _ definition: ResourceDefinition, namespace: String?, name: String, body: JSONValue,
        subresource: Subresource?, options: WriteOptions
    ) async throws(APIError) -> WriteResult {
        var object = body
        try checkType(&object, definition)
        if let own = object.name, !own.isEmpty, own != name {
            throw .badRequest("the name of the object (\(own)) does not match the name on the URL (\(name))")
        }
        object.name = name
        try placeInNamespace(&object, definition, namespace)
        let (conformed, warnings) = try conformToSchema(object, definition, options)
        let precondition = conformed.resourceVersion.flatMap { $0.isEmpty ? nil : $0 }
        while true {
            let old = try await get(definition, namespace: namespace, name: name)
            if var result = try await replace(old, with: conformed, definition, subresource: subresource, precondition: precondition, options: options) {
                result.warnings = warnings + result.warnings
                return result
            }
        }
    }

    /// Patches an object: `transform` turns the newest version into the desired one. Retried
    /// on a concurrent write unless the patch itself pinned a resource version.
    public func patch(
        _ definition: ResourceDefinition, namespace: String?, name: String, subresource: Subresource?, options: WriteOptions,
        transform: @Sendable (JSONValue) throws(APIError) -> JSONValue
    ) async throws(APIError) -> WriteResult {
        while true {
            let old = try await get(definition, namespace: namespace, name: name)
            var object = try transform(old)
            try checkType(&object, definition)
            if object.name != name || (definition.namespaced && object.namespace != namespace) {
                throw .badRequest("a patch may not change the name or namespace of an object")
            }
            let (conformed, warnings) = try conformToSchema(object, definition, options)
            let pinned = conformed.resourceVersion.flatMap { $0 == old.resourceVersion ? nil : $0 }
            if var result = try await replace(old, with: conformed, definition, subresource: subresource, precondition: pinned, options: options) {
                result.warnings = warnings + result.warnings
                return result
            }
        }
    }

    /// Writes `body` over `old`. Returns nil when another write got in between and the
    /// caller should read again; throws 409 when the caller's precondition is stale.
    private func replace(
        _ old: JSONValue, with body: JSONValue, _ definition: ResourceDefinition, subresource: Subresource?,
        precondition: String?, options: WriteOptions
    ) async throws(APIError) -> WriteResult? {
        let name = old.name ?? ""
        if let precondition, precondition != old.resourceVersion {
            throw .conflict(resource: definition.plural, group: definition.group, name: name, StoreError.modifiedMessage)
        }
        var new = merged(body, over: old, definition, subresource: subresource)
        // A binding sets what an update may not (a pod's node); its own checks ran before.
        let updateChecksAgainst: JSONValue? = subresource == .binding ? .none : old
        try defaultAndValidate(&new, definition, old: updateChecksAgainst)
        if !Self.specContent(new).semanticallyEquals(Self.specContent(old)) {
            new.generation = (old.generation ?? 0) + 1
        }
        if old.deletionTimestamp != nil, !Set(new.finalizers).isSubset(of: Set(old.finalizers)) {
            throw .invalid(kind: definition.kind, group: definition.group, name: name, causes: [
                .forbidden(FieldPath("metadata", "finalizers"), "no new finalizers can be added if the object is being deleted")
            ])
        }
        var comparable = new
        comparable.resourceVersion = old.resourceVersion
        if comparable.semanticallyEquals(old) { return WriteResult(object: old, created: false, warnings: []) }
        let admissionWarnings = try await admit(.update, definition, new, old: old, options: options)
        if options.dryRun { return WriteResult(object: new, created: false, warnings: admissionWarnings) }
        let key = StorageKey.object(definition, namespace: old.namespace, name: name)
        let revision = Int64(old.resourceVersion ?? "")
        do {
            // The last finalizer of an object being deleted is gone: the deletion completes,
            // unless it is a pod whose node has yet to confirm that it stopped, or a namespace
            // whose content the namespace controller has yet to remove.
            let written = new.deletionTimestamp != nil && new.finalizers.isEmpty && !Self.awaitsItsNode(new, definition)
                && !NamespaceRules.awaitsItsController(new, definition)
                ? try await store.delete(key, expectedRevision: revision)
                : try await store.update(key, value: ObjectCodec.encode(new), expectedRevision: revision)
            new.resourceVersion = String(written.modRevision)
            committed(definition, revision: written.modRevision)
            return WriteResult(object: new, created: false, warnings: admissionWarnings)
        } catch {
            switch error.code {
            case .revisionMismatch where precondition == nil: return nil
            default: throw error.apiError(definition, name: name)
            }
        }
    }

    /// A pod being deleted gracefully on a node stays until the node deletes it (grace 0).
    static func awaitsItsNode(_ object: JSONValue, _ definition: ResourceDefinition) -> Bool {
        guard definition.group.isEmpty, definition.plural == "pods", !(object[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty else {
            return false
        }
        let phase = object[path: ["status", "phase"]]?.stringValue
        return phase != "Succeeded" && phase != "Failed" && (object[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue ?? 0) > 0
    }

    /// The object as it will be stored: the client's fields where it may set them, the
    /// server's elsewhere. The main resource cannot change status, nor `status` the rest.
    private func merged(_ body: JSONValue, over old: JSONValue, _ definition: ResourceDefinition, subresource: Subresource?) -> JSONValue {
        if subresource == .status {
            var new = old
            new["status"] = body["status"]
            return new
        }
        if subresource == .binding {
            // The node, and the PodScheduled condition that says so.
            var new = old
            new[path: ["spec", "nodeName"]] = body[path: ["spec", "nodeName"]]
            new[path: ["status", "conditions"]] = body[path: ["status", "conditions"]]
            return new
        }
        if subresource == .finalize {
            var new = old
            new[path: ["spec", "finalizers"]] = body[path: ["spec", "finalizers"]] ?? []
            return new
        }
        if subresource == .approval {
            // Only the conditions: a certificate comes from the signer, through `status`.
            var new = old
            new[path: ["status", "conditions"]] = body[path: ["status", "conditions"]]
            return new
        }
        var new = body
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            new[path: ["metadata", field]] = old[path: ["metadata", field]]
        }
        new[path: ["metadata", "managedFields"]] = nil
        new[path: ["metadata", "selfLink"]] = nil
        if definition.subresources.contains(.status) { new["status"] = old["status"] }
        // Only `finalize` changes a namespace's finalizers (else a PUT could skip its cleanup).
        if definition.isCore("namespaces") { new[path: ["spec", "finalizers"]] = old[path: ["spec", "finalizers"]] }
        if definition.isCore("services") { ServiceAddressCarryOver.apply(to: &new, from: old) }
        return new
    }
}
