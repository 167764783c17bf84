import Foundation
import Logging
import PalisadeAPI
import Synchronization

/// Places pending pods on nodes, as `kube-scheduler` does, through the API only: it watches
/// pods and nodes, picks a node for each pod without one (``SchedulingCache``), and binds
/// it with the `pods/binding` subresource. Bindings run concurrently while the next pod is
/// already being placed. A pod that fits nowhere gets a `FailedScheduling` event and waits
/// until a node appears or changes, or a pod goes away; then it is tried again.
public final class Scheduler: Sendable {
    public static let name = "default-scheduler"
    /// Bindings in flight at most.
    static let bindingConcurrency = 16

    let client: APIClient
    let logger: Logger
    let pods: Informer
    let nodes: Informer
    let cache = SchedulingCache()
    let queue = WorkQueue<String>()
    let failures: SchedulingFailures
    /// Pods that fit nowhere, waiting for the cluster to change.
    private let waiting = Mutex<Set<String>>([])

    public init(client: APIClient, logger: Logger) {
        self.client = client
        self.logger = logger
        pods = Informer(path: "/api/v1/pods", client: client, logger: logger)
        nodes = Informer(path: "/api/v1/nodes", client: client, logger: logger)
        failures = SchedulingFailures(client: client, logger: logger)
    }

    public func run() async {
        let (bindings, binder) = AsyncStream.makeStream(of: (key: String, pod: JSONValue, node: String).self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.pods.run() }
            group.addTask { await self.nodes.run() }
            let nodeChanges = nodes.changes()
            group.addTask { for await change in nodeChanges { self.nodeChanged(change) } }
            let podChanges = pods.changes()
            group.addTask { for await change in podChanges { await self.podChanged(change) } }
            group.addTask {
                await self.nodes.waitForSync()
                await self.pods.waitForSync()
                await self.scheduleLoop(binder)
            }
            for _ in 0..<Self.bindingConcurrency {
                group.addTask { for await binding in bindings { await self.bind(binding.key, binding.pod, to: binding.node) } }
            }
            group.addTask {
                // Pods that could not be placed are retried now and then even without a change.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(30))
                    await self.retryWaiting()
                }
            }
            group.addTask {
                await withTaskCancellationHandler {
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                } onCancel: {
                    binder.finish()
                    Task { await self.queue.shutDown() }
                }
            }
            await group.waitForAll()
        }
    }

    /// Whether this scheduler should place `pod`: no node yet, not being deleted, and no
    /// other scheduler asked for.
    static func isPending(_ pod: JSONValue) -> Bool {
        let nodeName = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
        let schedulerName = pod[path: ["spec", "schedulerName"]]?.stringValue ?? name
        let phase = pod[path: ["status", "phase"]]?.stringValue ?? "Pending"
        return nodeName.isEmpty && pod.deletionTimestamp == nil && schedulerName == name && phase != "Succeeded" && phase != "Failed"
    }

    private func scheduleLoop(_ binder: AsyncStream<(key: String, pod: JSONValue, node: String)>.Continuation) async {
        while let key = await queue.next() {
            await scheduleOne(key, binder)
            await queue.done(key)
        }
    }

    private func scheduleOne(_ key: String, _ binder: AsyncStream<(key: String, pod: JSONValue, node: String)>.Continuation) async {
        guard let pod = pods.object(key), Self.isPending(pod), !cache.isPlaced(key) else { return }
        let placement = PodPlacement(pod)
        switch cache.decide(placement) {
        case .node(let node):
            cache.place(placement, on: node)
            waiting.withLock { _ = $0.remove(key) }
            binder.yield((key, pod, node))
        case .unschedulable(let message):
            waiting.withLock { _ = $0.insert(key) }
            await failures.record(pod, message: message)
        }
    }

    private func bind(_ key: String, _ pod: JSONValue, to node: String) async {
        let namespace = pod.namespace ?? ""
        let name = pod.name ?? ""
        do {
            try await client.create("/api/v1/namespaces/\(namespace)/pods/\(name)/binding", [
                "apiVersion": "v1", "kind": "Binding", "metadata": ["name": .string(name), "namespace": .string(namespace)],
                "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)],
            ])
            failures.forget(key)
        } catch {
            // Bound elsewhere, deleted, or a transient failure: give the room back and let the
            // informer's view decide whether to try again.
            cache.remove(key)
            if let failure = error as? APIFailure, failure.isConflict || failure.isNotFound { return }
            logger.warning("binding failed; retrying", metadata: ["pod": "\(key)", "node": "\(node)", "error": "\(error)"])
            queue.add(key, after: .seconds(1))
        }
    }

    private func nodeChanged(_ change: Informer.Change) {
        switch change.kind {
        case .added, .modified:
            if cache.setNode(change.object) { Task { await retryWaiting() } }
        case .deleted:
            cache.removeNode(change.object.name ?? "")
        }
    }

    private func podChanged(_ change: Informer.Change) async {
        let pod = change.object
        let key = Informer.key(pod)
        if change.kind == .deleted {
            waiting.withLock { _ = $0.remove(key) }
            failures.forget(key)
            if cache.remove(key) { await retryWaiting() }
            return
        }
        let phase = pod[path: ["status", "phase"]]?.stringValue
        if let node = pod[path: ["spec", "nodeName"]]?.stringValue, !node.isEmpty {
            if phase == "Succeeded" || phase == "Failed" {
                if cache.remove(key) { await retryWaiting() }
            } else {
                cache.place(PodPlacement(pod), on: node)
            }
            return
        }
        guard Self.isPending(pod) else { return }
        // A waiting pod is tried again when its spec changes, not when its status does
        // (the scheduler's own condition update would otherwise loop).
        let isWaiting = waiting.withLock { $0.contains(key) }
        if change.kind == .added || !isWaiting || change.old?["spec"] != pod["spec"] || change.old?.labels != pod.labels {
            waiting.withLock { _ = $0.remove(key) }
            await queue.add(key)
        }
    }

    /// Puts every waiting pod back in the queue (the cluster changed).
    private func retryWaiting() async {
        let keys = waiting.withLock { state -> Set<String> in
            defer { state = [] }
            return state
        }
        for key in keys { await queue.add(key) }
    }
}
