import Logging

/// The shape of every controller: informers feed a work queue with the keys their changes
/// concern; workers take keys one at a time and reconcile them against the informers'
/// copies; a failure puts the key back with a growing delay. Runs until cancelled.
public struct ReconcileLoop<Key: Hashable & Sendable>: Sendable {
    /// Maps one informer's changes to the keys to reconcile.
    public struct Trigger: Sendable {
        let informer: Informer
        let keys: @Sendable (Informer.Change) -> [Key]

        public init(_ informer: Informer, keys: @escaping @Sendable (Informer.Change) -> [Key]) {
            self.informer = informer
            self.keys = keys
        }
    }

    public let queue = WorkQueue<Key>()
    let name: String
    let informers: [Informer]
    let triggers: [Trigger]
    let workers: Int
    let logger: Logger

    public init(name: String, informers: [Informer], triggers: [Trigger], workers: Int = 4, logger: Logger) {
        self.name = name
        self.informers = informers
        self.triggers = triggers
        self.workers = workers
        self.logger = logger
    }

    public func run(_ reconcile: @escaping @Sendable (Key) async throws -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for informer in informers { group.addTask { await informer.run() } }
            for trigger in triggers {
                let changes = trigger.informer.changes()
                group.addTask {
                    for await change in changes {
                        for key in trigger.keys(change) { await queue.add(key) }
                    }
                }
            }
            group.addTask {
                for informer in informers { await informer.waitForSync() }
                await withTaskGroup(of: Void.self) { workers in
                    for _ in 0..<self.workers { workers.addTask { await work(reconcile) } }
                }
            }
            group.addTask {
                // Wake the workers when the loop is cancelled.
                await withTaskCancellationHandler {
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                } onCancel: {
                    Task { await queue.shutDown() }
                }
            }
            await group.waitForAll()
        }
    }

    private func work(_ reconcile: @Sendable (Key) async throws -> Void) async {
        while let key = await queue.next() {
            do {
                try await reconcile(key)
                await queue.forget(key)
            } catch {
                if !Task.isCancelled { logger.debug("\(name): \(key) will be retried", metadata: ["error": "\(error)"]) }
                await queue.retry(key)
            }
            await queue.done(key)
        }
    }
}
