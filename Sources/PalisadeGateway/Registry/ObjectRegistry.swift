import Foundation
import PalisadeAPI
import PalisadeStore

/// The generic storage semantics of every served resource, over a ``Store``: names and
/// generated names, UIDs, timestamps, generations, resource versions and conflicts,
/// defaulting and validation, status subresources, finalizers and graceful deletion,
/// namespace lifecycle, paged lists and watches. What differs per kind comes from its
/// ``ResourceDefinition``.
public struct ObjectRegistry: Sendable {
    public let store: any Store
    let now: @Sendable () -> Date
    let observers: [any WriteObserver]
    let mutators: [any MutatingAdmission]
    let admission: [any AdmissionCheck]

    /// - Parameters:
    ///   - observers: told of every committed write before its client hears back.
    ///   - mutators: may change every new object, in order, before admission judges it.
    ///   - admission: checks every create and update must pass, in order.
    public init(
        store: any Store, now: @escaping @Sendable () -> Date = { Date() }, observers: [any WriteObserver] = [],
        mutators: [any MutatingAdmission] = [], admission: [any AdmissionCheck] = []
    ) {
        self.store = store
        self.now = now
        self.observers = observers
        self.mutators = mutators
        self.admission = admission
    }

    /// Lets the mutators change a new object; what they changed is defaulted and validated again.
    func mutate(_ object: inout JSONValue, _ definition: ResourceDefinition, options: WriteOptions) async throws(APIError) {
        var changed = false
        for mutator in mutators {
            let result = try await mutator.mutate(admissionRequest(.create, definition, object, old: nil, options: options))
            if result != object {
                object = result
                changed = true
            }
        }
        if changed { try defaultAndValidate(&object, definition, old: nil) }
    }

    /// Runs the admission checks in order; returns their warnings. Checks that admitted a
    /// create before a later one refused it are told it was not stored.
    func admit(
        _ operation: AdmissionRequest.Operation, _ definition: ResourceDefinition, _ object: JSONValue, old: JSONValue?, options: WriteOptions
    ) async throws(APIError) -> [String] {
        let request = admissionRequest(operation, definition, object, old: old, options: options)
        var warnings: [String] = []
        for (index, check) in admission.enumerated() {
            do {
                warnings += try await check.admit(request)
            } catch {
                if operation == .create {
                    for admitted in admission[..<index] { await admitted.settled(request, stored: false) }
                }
                throw error
            }
        }
        return warnings
    }

    /// Tells every check whether the create it admitted was stored.
    func settle(_ definition: ResourceDefinition, _ object: JSONValue, options: WriteOptions, stored: Bool) async {
        let request = admissionRequest(.create, definition, object, old: nil, options: options)
        for check in admission { await check.settled(request, stored: stored) }
    }

    private func admissionRequest(
        _ operation: AdmissionRequest.Operation, _ definition: ResourceDefinition, _ object: JSONValue, old: JSONValue?, options: WriteOptions
    ) -> AdmissionRequest {
        AdmissionRequest(operation: operation, definition: definition, object: object, old: old, user: options.user, dryRun: options.dryRun)
    }

    func committed(_ definition: ResourceDefinition, revision: Int64) {
        for observer in observers { observer.committed(definition, revision: revision) }
    }

    // MARK: Reads

    public func get(_ definition: ResourceDefinition, namespace: String?, name: String) async throws(APIError) -> JSONValue {
        let kv: KeyValue?
        do {
            kv = try await store.get(StorageKey.object(definition, namespace: namespace, name: name))
        } catch {
            throw error.apiError
        }
        guard let kv else { throw .notFound(resource: definition.plural, group: definition.group, name: name) }
        return try ObjectCodec.decode(kv)
    }

    /// A page of objects matching the selectors, with the list's resource version and the
    /// token for the next page.
    public func list(
        _ definition: ResourceDefinition, namespace: String?, options: ListOptions
    ) async throws(APIError) -> (items: [JSONValue], resourceVersion: String, continueToken: String?) {
        let prefix = StorageKey.prefix(definition, namespace: namespace)
        var revision: Int64?
        var startAfter: String?
        if let token = options.continueToken, !token.isEmpty {
            let decoded = try ContinueToken(decoding: token, prefix: prefix)
            revision = decoded.revision
            startAfter = decoded.startAfter
        }
        // A name pinned by the field selector narrows the read to one key.
        if let name = options.fieldSelector.requiredValue(of: "metadata.name"), startAfter == nil,
            namespace != nil || !definition.namespaced
        {
            return try await listOne(definition, namespace: namespace, name: name, options: options)
        }
        var items: [JSONValue] = []
        var nextToken: String?
        var listRevision: Int64 = 0
        // Filtering can drop items, so keep reading pages until the limit is filled.
        while true {
            let want = options.limit.map { $0 - items.count }
            let page: RangeResult
            do {
                page = try await store.range(prefix: prefix, startAfter: startAfter, limit: want, revision: revision)
            } catch {
                if case .compacted = error.code, options.continueToken != nil {
                    throw APIError(code: 410, reason: "Expired", message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
                }
                throw error.apiError
            }
            listRevision = page.revision
            revision = page.revision
            for kv in page.items {
                let object = try ObjectCodec.decode(kv)
                if matches(object, definition, options) { items.append(object) }
            }
            startAfter = page.items.last?.key ?? startAfter
            if !page.hasMore { break }
            if let limit = options.limit, items.count >= limit {
                nextToken = ContinueToken(revision: page.revision, startAfter: startAfter ?? prefix).encoded
                break
            }
        }
        return (items, String(listRevision), nextToken)
    }

    /// A list of at most the one object named, read at the current revision.
    private func listOne(
        _ definition: ResourceDefinition, namespace: String?, name: String, options: ListOptions
    ) async throws(APIError) -> (items: [JSONValue], resourceVersion: String, continueToken: String?) {
        let revision: Int64
        let kv: KeyValue?
        do {
            // The revision first: the object read next is at least as new.
            revision = try await store.currentRevision()
            kv = try await store.get(StorageKey.object(definition, namespace: namespace, name: name))
        } catch {
            throw error.apiError
        }
        guard let kv else { return ([], String(revision), nil) }
        let object = try ObjectCodec.decode(kv)
        return (matches(object, definition, options) ? [object] : [], String(max(revision, kv.modRevision)), nil)
    }

    func matches(_ object: JSONValue, _ definition: ResourceDefinition, _ options: ListOptions) -> Bool {
        options.labelSelector.matches(object.labels) && options.fieldSelector.matches { definition.fieldValue(object, $0) }
            && options.visibleNames.map { $0.contains(object.name ?? "") } ?? true
    }
}
