import Synchronization

/// Fans committed changes out to watchers, in revision order, without gaps or repeats.
///
/// A watcher is registered before its history is read, so nothing committed in between is
/// missed: live events that arrive while history is being read are held back, then
/// delivered after it, minus those the history already contained.
final class WatchHub: Sendable {
    /// How many undelivered events one watcher may hold before it is cut off.
    let maximumBacklog: Int

    private struct Watcher {
        enum Phase {
            case catchingUp(held: [StoreEvent])
            case live
        }

        let prefix: String
        let continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation
        var phase: Phase
        var lastDelivered: Int64
    }

    private struct State {
        var nextID = 0
        var watchers: [Int: Watcher] = [:]
    }

    private let state = Mutex(State())

    init(maximumBacklog: Int = 10_000) {
        self.maximumBacklog = maximumBacklog
    }

    /// Registers a watcher for keys under `prefix` that wants revisions after `afterRevision`.
    /// Call ``deliverHistory(_:to:)`` next, even with no history, to start live delivery.
    func register(prefix: String, afterRevision: Int64) -> (id: Int, stream: AsyncThrowingStream<StoreEvent, any Error>) {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: StoreEvent.self, throwing: (any Error).self, bufferingPolicy: .bufferingOldest(maximumBacklog)
        )
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.watchers[id] = Watcher(prefix: prefix, continuation: continuation, phase: .catchingUp(held: []), lastDelivered: afterRevision)
            return id
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return (id, stream)
    }

    /// Sends a watcher its history, then what arrived meanwhile, and switches it to live delivery.
    func deliverHistory(_ history: [StoreEvent], to id: Int) {
        let cutOff = state.withLock { state -> Watcher? in
            guard var watcher = state.watchers[id], case .catchingUp(let held) = watcher.phase else { return nil }
            watcher.phase = .live
            let delivered = Self.send(history + held, to: &watcher)
            state.watchers[id] = delivered ? watcher : nil
            return delivered ? nil : watcher
        }
        cutOff?.continuation.finish(throwing: StoreError(.watcherTooSlow))
    }

    /// Ends a watcher with an error (history compacted away, backend failure).
    func fail(_ id: Int, with error: StoreError) {
        let watcher = state.withLock { $0.watchers.removeValue(forKey: id) }
        watcher?.continuation.finish(throwing: error)
    }

    /// Publishes committed events, in revision order. Called once per committed write.
    func publish(_ events: [StoreEvent]) {
        // Streams are finished outside the lock: finishing runs their termination
        // handlers, which take the lock again.
        let cutOff = state.withLock { state -> [Watcher] in
            var cutOff: [Watcher] = []
            for (id, var watcher) in state.watchers {
                let relevant = events.filter { $0.current.key.hasPrefix(watcher.prefix) }
                if relevant.isEmpty { continue }
                let keep: Bool
                switch watcher.phase {
                case .catchingUp(let held):
                    watcher.phase = .catchingUp(held: held + relevant)
                    keep = held.count + relevant.count <= maximumBacklog
                case .live:
                    keep = Self.send(relevant, to: &watcher)
                }
                state.watchers[id] = keep ? watcher : nil
                if !keep { cutOff.append(watcher) }
            }
            return cutOff
        }
        for watcher in cutOff { watcher.continuation.finish(throwing: StoreError(.watcherTooSlow)) }
    }

    /// Ends every watcher; the store is closing.
    func finishAll() {
        let all = state.withLock { state in
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in all { watcher.continuation.finish() }
    }

    var watcherCount: Int { state.withLock { $0.watchers.count } }

    private func remove(_ id: Int) {
        _ = state.withLock { $0.watchers.removeValue(forKey: id) }
    }

    /// Yields the events the watcher has not seen yet; false when its buffer is full or it is gone.
    private static func send(_ events: [StoreEvent], to watcher: inout Watcher) -> Bool {
        for event in events where event.revision > watcher.lastDelivered {
            guard case .enqueued = watcher.continuation.yield(event) else { return false }
            watcher.lastDelivered = event.revision
        }
        return true
    }
}
