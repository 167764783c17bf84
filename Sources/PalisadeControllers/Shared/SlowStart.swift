/// Kubernetes' slow start for a controller's creations: batches of 1, 2, 4, … run
/// concurrently, stopping after the first batch with a failure, so a refusal that would
/// fail every creation (a quota, an admission rule) costs a few requests, not hundreds.
enum SlowStart {
    /// Runs `create(i)` for `i` in `0..<count`, batch by batch.
    /// - Returns: how many were never attempted (after a failing batch) and the failures of
    ///   that batch; `(0, [])` when every creation succeeded.
    static func run(_ count: Int, _ create: @escaping @Sendable (Int) async throws -> Void) async -> (skipped: Int, failures: [any Error]) {
        var started = 0
        var batch = 1
        while started < count {
            let size = min(batch, count - started)
            let first = started
            let failures = await withTaskGroup(of: (any Error)?.self) { group -> [any Error] in
                for index in first..<(first + size) {
                    group.addTask {
                        do { try await create(index); return nil } catch { return error }
                    }
                }
                return await group.reduce(into: []) { if let error = $1 { $0.append(error) } }
            }
            started += size
            if !failures.isEmpty { return (count - started, failures) }
            batch *= 2
        }
        return (0, [])
    }
}
