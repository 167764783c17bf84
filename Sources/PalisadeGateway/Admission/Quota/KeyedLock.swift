import PalisadeAPI

/// Mutual exclusion per key across tasks, handed to waiters in arrival order. Quota charges
/// and recounts of one namespace run one at a time; other namespaces are not held up.
actor KeyedLock {
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func lock(_ key: String) async {
        guard held.contains(key) else {
            held.insert(key)
            return
        }
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    func unlock(_ key: String) {
        guard var queue = waiters[key], !queue.isEmpty else {
            held.remove(key)
            return
        }
        // The lock passes straight to the next waiter: it stays held.
        let next = queue.removeFirst()
        waiters[key] = queue.isEmpty ? nil : queue
        next.resume()
    }

    nonisolated func withLock<T: Sendable>(_ key: String, _ body: () async throws(APIError) -> T) async throws(APIError) -> T {
        await lock(key)
        do {
            let result = try await body()
            await unlock(key)
            return result
        } catch {
            await unlock(key)
            throw error
        }
    }
}
