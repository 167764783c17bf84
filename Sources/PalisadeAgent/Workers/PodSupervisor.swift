import Foundation
import Logging
import PalisadeAPI
import PalisadeControllers

/// Keeps one ``PodWorker`` per pod bound to this node, from a watch of exactly those pods:
/// a new pod gets a worker, a deleted one (deletionTimestamp set) is stopped within its
/// grace period, cleaned up, and its deletion confirmed to the API server.
actor PodSupervisor {
    let services: AgentServices
    private var workers: [String: PodWorker] = [:]
    /// Each worker's run, awaited when the agent stops.
    private var runs: [String: Task<Void, Never>] = [:]
    private var stopping: Set<String> = []

    init(services: AgentServices) {
        self.services = services
    }

    /// Follows the node's pods until cancelled.
    func run() async {
        let pods = Informer(
            path: "/api/v1/pods?fieldSelector=spec.nodeName%3D\(services.nodeName)", client: services.client, logger: services.logger
        )
        let changes = pods.changes()
        let informer = Task { await pods.run() }
        defer { informer.cancel() }
        for await change in changes {
            if change.kind == .deleted {
                await stop(change.object, confirm: false)
            } else {
                await apply(change.object)
            }
        }
    }

    private func apply(_ pod: JSONValue) async {
        guard let uid = pod.uid else { return }
        if pod.deletionTimestamp != nil {
            await stop(pod, confirm: true)
            return
        }
        if let worker = workers[uid] {
            await worker.update(pod)
            return
        }
        // A finished pod is not run again (after an agent restart, say).
        let phase = pod[path: ["status", "phase"]]?.stringValue
        guard phase != "Succeeded", phase != "Failed" else { return }
        let worker = PodWorker(pod: pod, services: services)
        workers[uid] = worker
        runs[uid] = Task { await worker.run() }
    }

    /// Stops a pod's worker and removes what it had on the node; with `confirm`, then deletes
    /// the pod object for good (the kubelet's part of a graceful deletion).
    private func stop(_ pod: JSONValue, confirm: Bool) async {
        guard let uid = pod.uid, !stopping.contains(uid) else { return }
        stopping.insert(uid)
        let worker = workers[uid]
        let run = runs[uid]
        let grace = pod.metadata["deletionGracePeriodSeconds"]?.intValue ?? pod[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
        Task {
            if let worker {
                await worker.update(pod)
                await worker.stop(grace: .seconds(max(0, grace)))
                await run?.value
                await worker.cleanUp()
            }
            if confirm {
                let path = "/api/v1/namespaces/\(pod.namespace ?? "")/pods/\(pod.name ?? "")"
                do {
                    try await services.client.delete(path, options: ["gracePeriodSeconds": 0, "preconditions": ["uid": .string(uid)]])
                } catch {
                    services.logger.warning("pod deletion not confirmed", metadata: ["pod": "\(path)", "error": "\(error)"])
                }
            }
            self.forget(uid)
        }
    }

    private func forget(_ uid: String) {
        workers[uid] = nil
        runs[uid] = nil
        stopping.remove(uid)
    }

    /// Stops every pod (the agent is shutting down): at most 10 s of grace each, then
    /// everything of theirs on the node is removed.
    func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for (uid, worker) in workers {
                group.addTask { [run = runs[uid]] in
                    let grace = await worker.pod[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
                    await worker.stop(grace: .seconds(min(10, max(0, grace))))
                    await run?.value
                    await worker.cleanUp()
                }
            }
        }
        workers = [:]
        runs = [:]
    }

    /// The worker of a pod, for its logs.
    func worker(namespace: String, name: String) async -> PodWorker? {
        for worker in workers.values {
            let pod = await worker.pod
            if pod.namespace == namespace && pod.name == name { return worker }
        }
        return nil
    }
}
