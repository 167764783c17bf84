import PalisadeAPI
import PalisadeStore

/// One event of a watch, as sent on the wire.
public struct WatchEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var kind: Kind
    public var object: JSONValue
}

extension ObjectRegistry {
    /// Watches objects matching the selectors. With no resource version (or "0") the current
    /// objects come first as ADDED events; otherwise changes after that version. An object
    /// that stops matching a selector is reported DELETED, one that starts matching ADDED.
    /// A version that is too old ends the stream with an ERROR event carrying 410 Expired.
    public func watch(
        _ definition: ResourceDefinition, namespace: String?, options: ListOptions
    ) async throws(APIError) -> AsyncThrowingStream<WatchEvent, any Error> {
        let prefix = StorageKey.prefix(definition, namespace: namespace)
        var initial: [WatchEvent] = []
        var matching = Set<String>()
        var start: Int64
        let requested = options.resourceVersion ?? ""
        if requested.isEmpty || requested == "0" {
            var listing = options
            listing.limit = nil
            listing.continueToken = nil
            let snapshot = try await list(definition, namespace: namespace, options: listing)
            start = Int64(snapshot.resourceVersion) ?? 0
            for object in snapshot.items {
                initial.append(WatchEvent(kind: .added, object: object))
                matching.insert(object.name.map { "\(object.namespace ?? "")/\($0)" } ?? "")
            }
        } else {
            guard let revision = Int64(requested), revision > 0 else {
                throw .badRequest("invalid resourceVersion \"\(requested)\": must be a positive integer")
            }
            start = revision
            do {
                matching = try await matchingKeys(definition, prefix: prefix, options: options, at: revision)
            } catch where error.code == 410 {
                return Self.expired(requested)
            }
        }
        let changes: AsyncThrowingStream<StoreEvent, any Error>
        do {
            changes = try await store.watch(prefix: prefix, afterRevision: start)
        } catch {
            if case .compacted = error.code { return Self.expired(requested) }
            throw error.apiError
        }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        let registry = self
        let task = Task { [matching] in
            var matching = matching
            for event in initial { continuation.yield(event) }
            do {
                for try await change in changes {
                    if let event = try registry.translate(change, definition, options, &matching) { continuation.yield(event) }
                }
                continuation.finish()
            } catch let error as StoreError {
                continuation.yield(WatchEvent(kind: .error, object: StatusBody.failure(error.apiError)))
                continuation.finish()
            } catch {
                continuation.finish()
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Turns a store change into the event a client of this selection sees, if any.
    private func translate(
        _ change: StoreEvent, _ definition: ResourceDefinition, _ options: ListOptions, _ matching: inout Set<String>
    ) throws(APIError) -> WatchEvent? {
        let object = try ObjectCodec.decode(change.current)
        let id = "\(object.namespace ?? "")/\(object.name ?? "")"
        let wasMatching = matching.contains(id)
        if change.kind == .deleted {
            matching.remove(id)
            return wasMatching ? WatchEvent(kind: .deleted, object: object) : nil
        }
        if matches(object, definition, options) {
            matching.insert(id)
            return WatchEvent(kind: wasMatching ? .modified : .added, object: object)
        }
        matching.remove(id)
        return wasMatching ? WatchEvent(kind: .deleted, object: object) : nil
    }

    /// Which objects matched the selection at `revision`, to know what later changes mean.
    private func matchingKeys(
        _ definition: ResourceDefinition, prefix: String, options: ListOptions, at revision: Int64
    ) async throws(APIError) -> Set<String> {
        let page: RangeResult
        do {
            page = try await store.range(prefix: prefix, startAfter: nil, limit: nil, revision: revision)
        } catch {
            throw error.apiError
        }
        var keys = Set<String>()
        for kv in page.items {
            let object = try ObjectCodec.decode(kv)
            if matches(object, definition, options) { keys.insert("\(object.namespace ?? "")/\(object.name ?? "")") }
        }
        return keys
    }

    /// A stream with only the 410 ERROR event, as kube-apiserver answers a watch from a compacted version.
    private static func expired(_ requested: String) -> AsyncThrowingStream<WatchEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        continuation.yield(WatchEvent(kind: .error, object: StatusBody.failure(.gone("too old resource version: \(requested)"))))
        continuation.finish()
        return stream
    }
}
