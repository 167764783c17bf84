/// The keys a controller still has to reconcile. A key is queued once however often it is
/// added; a key added again while it is being worked on is worked on again afterwards, never
/// by two workers at once. Failed keys come back after a delay that doubles per failure.
public actor WorkQueue<Key: Hashable & Sendable> {
    private enum State {
        case running
        case shutDown
    }

    private var state = State.running
    private var queue: [Key] = []
    private var head = 0
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []

    public init() {}

    public func add(_ key: Key) {
        guard case .running = state else { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard queued.insert(key).inserted else { return }
        if !waiters.isEmpty {
            queued.remove(key)
            processing.insert(key)
            waiters.removeFirst().resume(returning: key)
        } else {
            queue.append(key)
        }
    }

    /// Adds `key` after `delay` (a retry, or a check that is due later).
    public nonisolated func add(_ key: Key, after delay: Duration) {
        Task {
            try? await Task.sleep(for: delay)
            await self.add(key)
        }
    }

    /// Adds `key` again after a back-off that doubles with each consecutive failure
    /// (5 ms up to 30 s), as Kubernetes' rate-limited queue does.
    public func retry(_ key: Key) {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        let milliseconds = min(5 << min(count, 13), 30_000)
        add(key, after: .milliseconds(milliseconds))
    }

    /// Forgets the failures of `key` (it reconciled).
    public func forget(_ key: Key) {
        failures[key] = nil
    }

    /// The next key to work on, or nil once the queue is shut down.
    public func next() async -> Key? {
        if case .shutDown = state { return nil }
        if head < queue.count {
            let key = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            queued.remove(key)
            processing.insert(key)
            return key
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// The worker is finished with `key`; if it was added meanwhile it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// Wakes every waiting worker with nil; later adds are ignored.
    public func shutDown() {
        state = .shutDown
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters = []
    }
}
