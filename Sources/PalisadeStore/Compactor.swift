import Logging
import ServiceLifecycle

/// Compacts a store on a timer, as kube-apiserver does with etcd: each tick compacts up to
/// the revision seen at the previous tick, so at least one interval of history is kept for
/// watchers that reconnect, and history never grows without bound.
public struct Compactor: Service {
    public let store: any Store
    public let interval: Duration
    public let logger: Logger

    public init(store: any Store, interval: Duration = .seconds(300), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var previous = try await store.currentRevision()
            while true {
                // Cancellation (shutdown) ends the sleep with an error, and with it the loop.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
                do {
                    try await store.compact(through: previous)
                    previous = try await store.currentRevision()
                } catch {
                    logger.error("compaction failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
