import Logging
import PalisadeAPI
import PalisadeStore
import ServiceLifecycle

/// Finishes namespace deletions: once a namespace is Terminating, everything in it is
/// deleted, and when nothing is left (objects with finalizers may hold it up) the namespace
/// itself goes. Runs on every change to namespaces and every few seconds, so a deletion
/// interrupted by a restart is finished afterwards.
public struct NamespaceFinalizer: Service {
    let registry: ObjectRegistry
    let logger: Logger
    let retryInterval: Duration

    public init(registry: ObjectRegistry, logger: Logger, retryInterval: Duration = .seconds(5)) {
        self.registry = registry
        self.logger = logger
        self.retryInterval = retryInterval
    }

    static let namespaces = ServedResources.lookup(group: "", version: "v1", resource: "namespaces")!

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.finalizeOnChanges() }
                group.addTask {
                    while (try? await Task.sleep(for: self.retryInterval)) != nil { await self.finalizeAll() }
                }
                await group.waitForAll()
            }
        }
    }

    private func finalizeOnChanges() async {
        while !Task.isCancelled {
            do {
                let events = try await registry.watch(Self.namespaces, namespace: nil, options: ListOptions())
                for try await event in events where event.object.deletionTimestamp != nil {
                    await finalize(event.object.name ?? "")
                }
            } catch {
                logger.warning("namespace watch ended", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: retryInterval)
        }
    }

    private func finalizeAll() async {
        guard let page = try? await registry.list(Self.namespaces, namespace: nil, options: ListOptions()) else { return }
        for namespace in page.items where namespace.deletionTimestamp != nil {
            await finalize(namespace.name ?? "")
        }
    }

    /// Deletes the content of a terminating namespace, then the namespace when it is empty.
    func finalize(_ name: String) async {
        var remaining = 0
        for definition in ServedResources.all where definition.namespaced && definition.verbs.contains("deletecollection") {
            do {
                _ = try await registry.deleteCollection(definition, namespace: name, listOptions: ListOptions(), options: DeleteOptions())
                remaining += try await registry.list(definition, namespace: name, options: ListOptions()).items.count
            } catch {
                logger.warning("cannot empty namespace", metadata: ["namespace": "\(name)", "resource": "\(definition.plural)", "error": "\(error.message)"])
                remaining += 1
            }
        }
        guard remaining == 0 else { return }
        do {
            let key = StorageKey.object(Self.namespaces, namespace: nil, name: name)
            guard let current = try await registry.store.get(key) else { return }
            _ = try await registry.store.delete(key, expectedRevision: current.modRevision)
        } catch {
            // A concurrent change: the next pass finishes the job.
            logger.debug("namespace removal deferred", metadata: ["namespace": "\(name)"])
        }
    }
}
