import Foundation
import Logging
import PalisadeAPI

/// Rolls Deployments out through ReplicaSets, as Kubernetes' deployment controller does:
/// the ReplicaSet whose template is the Deployment's is the new one (created when missing,
/// named `<deployment>-<pod-template-hash>`, with the next revision); `RollingUpdate`
/// scales it up and the old ones down within `maxSurge` and `maxUnavailable`, `Recreate`
/// removes the old pods first. A paused Deployment only scales. Old ReplicaSets beyond
/// `revisionHistoryLimit` are deleted, and `status` (replicas, updated, ready, available,
/// conditions Available and Progressing) is what `kubectl rollout status` reads. Rollback
/// (`kubectl rollout undo`) puts an old template back, whose ReplicaSet becomes the new one.
public final class DeploymentController: Sendable {
    public static let name = "deployment-controller"
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let desiredAnnotation = "deployment.kubernetes.io/desired-replicas"
    static let maxAnnotation = "deployment.kubernetes.io/max-replicas"

    let client: APIClient
    let logger: Logger
    let deployments: Informer
    let replicaSets: Informer
    let pods: Informer

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        deployments = informers.informer("/apis/apps/v1/deployments")
        replicaSets = informers.informer("/apis/apps/v1/replicasets")
        pods = informers.informer("/api/v1/pods")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [deployments, replicaSets, pods],
            triggers: [
                .init(deployments) { [Informer.key($0.object)] },
                .init(replicaSets) { [self] change in self.owners(of: change) },
                // Recreate waits for the old pods to be gone.
                .init(pods) { [self] change in
                    guard change.kind == .deleted, let owner = OwnerReference.controllerKey(of: change.object, kind: "ReplicaSet"),
                        let replicaSet = self.replicaSets.object(owner)
                    else { return [] }
                    return OwnerReference.controllerKey(of: replicaSet, kind: "Deployment").map { [$0] } ?? []
                },
            ],
            workers: 5, logger: logger
        )
        await loop.run { [self] key in
            if let recheck = try await self.sync(key) { loop.queue.add(key, after: recheck) }
        }
    }

    /// The Deployments a ReplicaSet change concerns: its controller, or for an orphan those
    /// whose selector matches it.
    func owners(of change: Informer.Change) -> [String] {
        let replicaSet = change.object
        if let owner = OwnerReference.controllerKey(of: replicaSet, kind: "Deployment") { return [owner] }
        guard change.kind != .deleted else { return [] }
        return deployments.objects(in: replicaSet.namespace ?? "").filter { deployment in
            ReplicaSetController.selector(of: deployment)?.matches(replicaSet[path: ["spec", "template", "metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]) == true
        }.map(Informer.key)
    }

    /// One pass for one Deployment; returns when to look again (its progress deadline).
    func sync(_ key: String, now: Date = Date()) async throws -> Duration? {
        guard let deployment = deployments.object(key), deployment.deletionTimestamp == nil,
            let selector = ReplicaSetController.selector(of: deployment)
        else { return nil }
        var all = try await claimReplicaSets(deployment, selector: selector)
        let paused = deployment[path: ["spec", "paused"]]?.boolValue ?? false
        var new = all.first { Self.matchesTemplate($0, deployment) }
        if new == nil && !paused {
            new = try await createReplicaSet(for: deployment, existing: all)
            if let new { all.append(new) }
        } else if let current = new, !paused {
            new = try await ensureNewestRevision(current, among: all, deployment: deployment)
            all = all.map { $0.uid == new?.uid ? new! : $0 }
        }
        let old = all.filter { $0.uid != new?.uid }
        let replicas = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        if paused || new == nil {
            // Scaling only: the newest active ReplicaSet takes the change.
            if let target = new ?? Self.newestActive(old), Self.replicas(target) != replicas, Self.activeCount(all) <= 1 {
                try await scale(target, to: replicas, deployment: deployment)
            }
        } else if deployment[path: ["spec", "strategy", "type"]]?.stringValue == "Recreate" {
            try await recreate(deployment, new: new!, old: old, replicas: replicas)
        } else {
            try await rollingUpdate(deployment, new: new!, old: old, replicas: replicas)
        }
        try await cleanUpHistory(deployment, old: old)
        return try await updateStatus(deployment, new: new, all: all.map { replicaSets.object(Informer.key($0)) ?? $0 }, paused: paused, now: now)
    }

    // MARK: Strategies

    private func rollingUpdate(_ deployment: JSONValue, new: JSONValue, old: [JSONValue], replicas: Int) async throws {
        let (surge, unavailable) = RolloutMath.limits(deployment)
        let all = old + [new]
        let newReplicas = Self.replicas(new)
        if newReplicas > replicas {
            try await scale(new, to: replicas, deployment: deployment)
        } else if newReplicas < replicas {
            let room = replicas + surge - all.reduce(0) { $0 + Self.replicas($1) }
            if room > 0 {
                // As Kubernetes does: the old side is looked at once this scale-up is seen.
                try await scale(new, to: newReplicas + min(room, replicas - newReplicas), deployment: deployment)
                return
            }
        }
        // Scale old ReplicaSets down as far as availability allows: unhealthy replicas first.
        let minAvailable = replicas - unavailable
        let newUnavailable = max(0, Self.replicas(new) - Self.available(new))
        var budget = all.reduce(0) { $0 + Self.replicas($1) } - minAvailable - newUnavailable
        guard budget > 0 else { return }
        let oldest = old.filter { Self.replicas($0) > 0 }.sorted { Self.created($0) < Self.created($1) }
        var scaled: [String: Int] = [:]
        for replicaSet in oldest where budget > 0 {
            let unhealthy = max(0, Self.replicas(replicaSet) - Self.available(replicaSet))
            let cut = min(unhealthy, budget)
            if cut > 0 {
                scaled[replicaSet.uid ?? ""] = Self.replicas(replicaSet) - cut
                budget -= cut
            }
        }
        var availableBudget = all.reduce(0) { $0 + Self.available($1) } - minAvailable
        for replicaSet in oldest where availableBudget > 0 {
            let current = scaled[replicaSet.uid ?? ""] ?? Self.replicas(replicaSet)
            let cut = min(current, availableBudget)
            if cut > 0 {
                scaled[replicaSet.uid ?? ""] = current - cut
                availableBudget -= cut
            }
        }
        for replicaSet in oldest {
            if let target = scaled[replicaSet.uid ?? ""] { try await scale(replicaSet, to: target, deployment: deployment) }
        }
    }

    private func recreate(_ deployment: JSONValue, new: JSONValue, old: [JSONValue], replicas: Int) async throws {
        for replicaSet in old where Self.replicas(replicaSet) > 0 { try await scale(replicaSet, to: 0, deployment: deployment) }
        let oldUIDs = Set(old.compactMap(\.uid))
        let oldPodsRemain = pods.objects(in: deployment.namespace ?? "").contains { pod in
            guard let owner = OwnerReference.controller(of: pod)?["uid"]?.stringValue else { return false }
            return oldUIDs.contains(owner) && !PodState.isTerminal(pod)
        }
        if !oldPodsRemain && Self.replicas(new) != replicas { try await scale(new, to: replicas, deployment: deployment) }
    }

    // MARK: ReplicaSets

    /// The Deployment's ReplicaSets, adopting orphans its selector matches and releasing
    /// owned ones it no longer matches.
    private func claimReplicaSets(_ deployment: JSONValue, selector: LabelSelector) async throws -> [JSONValue] {
        var owned: [JSONValue] = []
        for replicaSet in replicaSets.objects(in: deployment.namespace ?? "") where replicaSet.deletionTimestamp == nil {
            let labels = replicaSet[path: ["spec", "template", "metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            let controller = OwnerReference.controller(of: replicaSet)
            if controller?["uid"]?.stringValue == deployment.uid {
                if selector.matches(labels) { owned.append(replicaSet) } else { try await setOwner(replicaSet, nil) }
            } else if controller == nil && selector.matches(labels) {
                owned.append(try await setOwner(replicaSet, OwnerReference.make(to: deployment, kind: "Deployment", apiVersion: "apps/v1")))
            }
        }
        return owned
    }

    @discardableResult
    private func setOwner(_ replicaSet: JSONValue, _ reference: JSONValue?) async throws -> JSONValue {
        try await client.patch(Self.replicaSetPath(replicaSet), OwnerReference.claimPatch(replicaSet, setting: reference))
    }

    static func matchesTemplate(_ replicaSet: JSONValue, _ deployment: JSONValue) -> Bool {
        RolloutMath.withoutHashLabel(replicaSet[path: ["spec", "template"]] ?? .null)
            .semanticallyEquals(RolloutMath.withoutHashLabel(deployment[path: ["spec", "template"]] ?? .null))
    }

    /// The new ReplicaSet: the template with its hash label, the next revision, no replicas
    /// yet for a rolling update (the strategy scales it).
    private func createReplicaSet(for deployment: JSONValue, existing: [JSONValue]) async throws -> JSONValue? {
        let template = deployment[path: ["spec", "template"]] ?? .emptyObject
        let hash = RolloutMath.templateHash(template, collisionCount: deployment[path: ["status", "collisionCount"]]?.intValue)
        var podTemplate = template
        podTemplate[path: ["metadata", "labels", RolloutMath.hashLabel]] = .string(hash)
        var selector = deployment[path: ["spec", "selector"]] ?? .emptyObject
        selector[path: ["matchLabels", RolloutMath.hashLabel]] = .string(hash)
        var annotations = (deployment[path: ["metadata", "annotations"]]?.objectValue ?? [:]).filter { !$0.key.hasPrefix("kubectl.kubernetes.io/last-applied") }
        annotations[Self.revisionAnnotation] = .string(String(Self.maxRevision(existing) + 1))
        annotations[Self.desiredAnnotation] = .string(String(deployment[path: ["spec", "replicas"]]?.intValue ?? 1))
        let replicaSet: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string("\(deployment.name ?? "")-\(hash)"), "namespace": .string(deployment.namespace ?? ""),
                "labels": podTemplate[path: ["metadata", "labels"]] ?? .emptyObject, "annotations": .object(annotations),
                "ownerReferences": [OwnerReference.make(to: deployment, kind: "Deployment", apiVersion: "apps/v1")],
            ],
            "spec": [
                "replicas": 0, "minReadySeconds": deployment[path: ["spec", "minReadySeconds"]] ?? 0,
                "selector": selector, "template": podTemplate,
            ],
        ]
        do {
            return try await client.create("/apis/apps/v1/namespaces/\(deployment.namespace ?? "")/replicasets", replicaSet)
        } catch let failure as APIFailure where failure.isConflict {
            // Already there: ours, created by an earlier pass the informer has not shown yet?
            let name = replicaSet.name ?? ""
            if let existing = try await client.get("/apis/apps/v1/namespaces/\(deployment.namespace ?? "")/replicasets/\(name)"),
                Self.matchesTemplate(existing, deployment), OwnerReference.controller(of: existing)?["uid"]?.stringValue == deployment.uid
            {
                return existing
            }
            // A ReplicaSet of that name with another template: count the collision, try a new hash.
            var status = deployment["status"] ?? .emptyObject
            status["collisionCount"] = .int((deployment[path: ["status", "collisionCount"]]?.intValue ?? 0) + 1)
            var updated = deployment
            updated["status"] = status
            try await client.update(Self.deploymentPath(deployment) + "/status", updated)
            return nil
        }
    }

    /// A ReplicaSet that becomes new again (a rollback) takes the next revision.
    private func ensureNewestRevision(_ new: JSONValue, among all: [JSONValue], deployment: JSONValue) async throws -> JSONValue {
        let others = all.filter { $0.uid != new.uid }
        guard Self.revision(new) <= Self.maxRevision(others) else { return new }
        return try await client.patch(Self.replicaSetPath(new), [
            "metadata": ["annotations": [Self.revisionAnnotation: .string(String(Self.maxRevision(others) + 1))]],
        ])
    }

    private func scale(_ replicaSet: JSONValue, to replicas: Int, deployment: JSONValue) async throws {
        guard Self.replicas(replicaSet) != replicas else { return }
        try await client.patch(Self.replicaSetPath(replicaSet), [
            "metadata": ["annotations": [Self.desiredAnnotation: .string(String(deployment[path: ["spec", "replicas"]]?.intValue ?? 1))]],
            "spec": ["replicas": .int(Int64(replicas))],
        ])
    }

    /// Deletes old ReplicaSets with nothing left in them beyond `revisionHistoryLimit`, oldest first.
    private func cleanUpHistory(_ deployment: JSONValue, old: [JSONValue]) async throws {
        let limit = Int(deployment[path: ["spec", "revisionHistoryLimit"]]?.intValue ?? 10)
        let empty = old.filter { Self.replicas($0) == 0 && ($0[path: ["status", "replicas"]]?.intValue ?? 0) == 0 }
            .sorted { Self.revision($0) < Self.revision($1) }
        guard empty.count > limit else { return }
        for replicaSet in empty.prefix(empty.count - limit) { try await client.delete(Self.replicaSetPath(replicaSet)) }
    }

    // MARK: Status

    /// Writes `status` when it changed; returns when the progress deadline falls.
    private func updateStatus(_ deployment: JSONValue, new: JSONValue?, all: [JSONValue], paused: Bool, now: Date) async throws -> Duration? {
        let replicas = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        let (_, unavailable) = RolloutMath.limits(deployment)
        let total = all.reduce(0) { $0 + Int($1[path: ["status", "replicas"]]?.intValue ?? 0) }
        let updated = Int(new?[path: ["status", "replicas"]]?.intValue ?? 0)
        let ready = all.reduce(0) { $0 + Int($1[path: ["status", "readyReplicas"]]?.intValue ?? 0) }
        let available = all.reduce(0) { $0 + Self.available($1) }
        var status = deployment["status"] ?? .emptyObject
        status["observedGeneration"] = .int(deployment[path: ["metadata", "generation"]]?.intValue ?? 1)
        status["replicas"] = .int(Int64(total))
        status["updatedReplicas"] = .int(Int64(updated))
        status["readyReplicas"] = .int(Int64(ready))
        status["availableReplicas"] = .int(Int64(available))
        status["unavailableReplicas"] = .int(Int64(max(0, total - available)))
        let complete = updated == replicas && total == replicas && available >= replicas
        let newName = new?.name ?? ""
        let rollout = paused || complete ? nil : RolloutProgress.verdict(deployment: deployment, newStatus: status, newReplicaSet: newName, now: now)
        let progressing: (String, String, String) = paused
            ? ("Unknown", "DeploymentPaused", "Deployment is paused")
            : complete
            ? ("True", "NewReplicaSetAvailable", "ReplicaSet \"\(newName)\" has successfully progressed.")
            : rollout!.condition
        let availableCondition: (String, String, String) = available >= replicas - unavailable
            ? ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
        var conditions = status["conditions"]?.arrayValue ?? []
        Self.setCondition(&conditions, type: "Available", availableCondition, now: now)
        Self.setCondition(&conditions, type: "Progressing", progressing, touch: rollout?.refresh ?? false, now: now)
        status["conditions"] = .array(conditions)
        if status != deployment["status"] {
            var updatedDeployment = deployment
            updatedDeployment["status"] = status
            try await client.update(Self.deploymentPath(deployment) + "/status", updatedDeployment)
        }
        return rollout?.deadline.map { .milliseconds(Int64(max(0, $0.timeIntervalSince(now)) * 1000) + 10) }
    }

    /// Sets a condition, keeping its transition time unless its status changes; an unchanged
    /// condition is left alone unless `touch` asks for a new `lastUpdateTime`.
    static func setCondition(
        _ conditions: inout [JSONValue], type: String, _ value: (status: String, reason: String, message: String), touch: Bool = false, now date: Date
    ) {
        let now = JSONValue.string(Timestamp.format(date))
        let existing = conditions.firstIndex { $0["type"]?.stringValue == type }
        if !touch, let existing, conditions[existing]["status"]?.stringValue == value.status,
            conditions[existing]["reason"]?.stringValue == value.reason, conditions[existing]["message"]?.stringValue == value.message
        {
            return
        }
        let transition = existing.flatMap { conditions[$0]["status"]?.stringValue == value.status ? conditions[$0]["lastTransitionTime"] : nil } ?? now
        let condition: JSONValue = [
            "type": .string(type), "status": .string(value.status), "reason": .string(value.reason), "message": .string(value.message),
            "lastUpdateTime": now, "lastTransitionTime": transition,
        ]
        if let existing { conditions[existing] = condition } else { conditions.append(condition) }
    }

    // MARK: Reading ReplicaSets

    static func replicas(_ replicaSet: JSONValue) -> Int { Int(replicaSet[path: ["spec", "replicas"]]?.intValue ?? 0) }
    static func available(_ replicaSet: JSONValue) -> Int { Int(replicaSet[path: ["status", "availableReplicas"]]?.intValue ?? 0) }
    static func revision(_ replicaSet: JSONValue) -> Int64 {
        replicaSet[path: ["metadata", "annotations", revisionAnnotation]]?.stringValue.flatMap { Int64($0) } ?? 0
    }
    static func maxRevision(_ replicaSets: [JSONValue]) -> Int64 { replicaSets.map(revision).max() ?? 0 }
    static func created(_ object: JSONValue) -> String { object[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "" }
    static func activeCount(_ replicaSets: [JSONValue]) -> Int { replicaSets.filter { replicas($0) > 0 }.count }
    static func newestActive(_ replicaSets: [JSONValue]) -> JSONValue? {
        replicaSets.filter { replicas($0) > 0 }.max { revision($0) < revision($1) }
    }

    static func deploymentPath(_ deployment: JSONValue) -> String {
        "/apis/apps/v1/namespaces/\(deployment.namespace ?? "")/deployments/\(deployment.name ?? "")"
    }

    static func replicaSetPath(_ replicaSet: JSONValue) -> String {
        "/apis/apps/v1/namespaces/\(replicaSet.namespace ?? "")/replicasets/\(replicaSet.name ?? "")"
    }
}
