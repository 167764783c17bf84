import Foundation
import PalisadeAPI
import PalisadeStore

extension ObjectRegistry {
    /// Creates an object; `namespace` is the one from the URL (nil for cluster-scoped kinds).
    public func create(
        _ definition: ResourceDefinition, namespace: String?, body: JSONValue, options: WriteOptions
    ) async throws(APIError) -> WriteResult {
        var object = body
        try checkType(&object, definition)
        try placeInNamespace(&object, definition, namespace)
        let (conformed, warnings) = try conformToSchema(object, definition, options)
        object = conformed
        let generated = (object.name ?? "").isEmpty && !(object.generateName ?? "").isEmpty
        // A generated name may collide; try a few suffixes, as kube-apiserver's callers do.
        for attempt in 0..<(generated ? 5 : 1) {
            var candidate = object
            if generated { candidate.name = (object.generateName ?? "") + NameGenerator.suffix() }
            resetSystemFields(&candidate, definition)
            try defaultAndValidate(&candidate, definition, old: nil)
            try await mutate(&candidate, definition, options: options)
            let allWarnings = warnings + (try await admit(.create, definition, candidate, old: nil, options: options))
            if options.dryRun {
                await settle(definition, candidate, options: options, stored: false)
                return WriteResult(object: candidate, created: true, warnings: allWarnings)
            }
            let key = StorageKey.object(definition, namespace: candidate.namespace, name: candidate.name ?? "")
            let stored: KeyValue
            do {
                stored = try await store.create(key, value: ObjectCodec.encode(candidate))
            } catch {
                await settle(definition, candidate, options: options, stored: false)
                if error.code == .keyExists && generated && attempt < 4 { continue }
                throw error.apiError(definition, name: candidate.name ?? "")
            }
            await settle(definition, candidate, options: options, stored: true)
            committed(definition, revision: stored.modRevision)
            candidate.resourceVersion = String(stored.modRevision)
            return WriteResult(object: candidate, created: true, warnings: allWarnings)
        }
        throw .alreadyExists(resource: definition.plural, group: definition.group, name: object.generateName ?? "")
    }

    /// Sets the namespace from the URL, refusing a body that names another one.
    func placeInNamespace(_ object: inout JSONValue, _ definition: ResourceDefinition, _ namespace: String?) throws(APIError) {
        guard definition.namespaced else {
            object.namespace = nil
            return
        }
        if let own = object.namespace, !own.isEmpty, own != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        object.namespace = namespace
    }

    /// Fields the server owns on a new object: clients cannot choose them.
    private func resetSystemFields(_ object: inout JSONValue, _ definition: ResourceDefinition) {
        var metadata = object.metadata.objectValue ?? [:]
        for field in ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields"] {
            metadata[field] = nil
        }
        object["metadata"] = .object(metadata)
        object.uid = UUID().uuidString.lowercased()
        object.creationTimestamp = Timestamp.format(now())
        object.generation = 1
        if definition.subresources.contains(.status) && !definition.keepsStatusOnCreate { object["status"] = nil }
        definition.initialStatus(&object)
    }
}

/// The random suffix of generated names: five characters without vowels or look-alikes.
enum NameGenerator {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func suffix() -> String {
        String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
