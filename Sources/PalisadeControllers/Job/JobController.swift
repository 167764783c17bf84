import Foundation
import Logging
import PalisadeAPI

/// Runs Jobs to completion, as Kubernetes' job controller does (the decisions are
/// ``JobPlan``'s): pods `<job>-<random>` from the template, whose labels carry the Job's
/// generated selector, owned by the Job; orphans the selector matches are adopted. Status
/// (`active`, `ready`, `terminating`, `succeeded`, `failed`, `startTime`,
/// `completionTime`, `completedIndexes`, conditions `SuccessCriteriaMet`/`Complete`,
/// `FailureTarget`/`Failed`, `Suspended`) is written through `/status` when it changes.
/// Finished pods are left for their users to read; the garbage collector removes them with
/// the Job. Driven by Job and Pod watches.
///
/// Not done: pod failure policies, success policies, `backoffLimitPerIndex`,
/// `ttlSecondsAfterFinished`, and Kubernetes' tracking finalizers on pods (a pod deleted
/// while running is not counted as failed).
public final class JobController: Sendable {
    public static let name = "job-controller"
    /// Kubernetes' wait before replacing a failed pod, doubled per consecutive failure.
    public static let defaultBackoff = Duration.seconds(10)

    let client: APIClient
    let logger: Logger
    let backoff: Duration
    let jobs: Informer
    let pods: Informer
    let expectations = Expectations()

    public init(client: APIClient, informers: InformerFactory, backoff: Duration = JobController.defaultBackoff, logger: Logger) {
        self.client = client
        self.backoff = backoff
        self.logger = logger
        jobs = informers.informer("/apis/batch/v1/jobs")
        pods = informers.informer("/api/v1/pods")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [jobs, pods],
            triggers: [
                .init(jobs) { [Informer.key($0.object)] },
                .init(pods) { [self] in self.owners(of: $0) },
            ],
            workers: 5, logger: logger
        )
        await loop.run { [self] key in
            if let recheck = try await self.sync(key) { loop.queue.add(key, after: recheck) }
        }
    }

    /// The Jobs a pod change concerns (``PodOwners``).
    func owners(of change: Informer.Change) -> [String] {
        PodOwners.concerned(by: change, kind: "Job", owners: jobs, expectations: expectations)
    }

    /// One pass for one Job. Returns when to look again (deadline, backoff).
    func sync(_ key: String, now: Date = Date()) async throws -> Duration? {
        guard let job = jobs.object(key) else {
            expectations.forget(key)
            return nil
        }
        guard job.deletionTimestamp == nil, let selector = ReplicaSetController.selector(of: job) else { return nil }
        let owned = try await PodClaims.claim(
            pods.objects(in: job.namespace ?? ""), for: job, kind: "Job", apiVersion: "batch/v1", selector: selector, client: client
        )
        // Until its own creations and deletions are seen, a pass only reports.
        let settled = expectations.satisfied(key)
        var plan = JobPlan(job, pods: owned, now: now, backoff: backoff)
        if settled {
            let changes = PodChanges(delete: plan.delete, create: plan.create.map { JobPods.pod(from: job, index: $0) })
            try await changes.carryOut(for: key, namespace: job.namespace ?? "", expectations: expectations, client: client, logger: logger)
        } else {
            // Conditions and counts wait too: the pods the plan acted on are not seen yet.
            plan.status = job["status"] ?? .emptyObject
        }
        if plan.status != (job["status"] ?? .emptyObject) {
            var updated = job
            updated["status"] = plan.status
            try await client.update("/apis/batch/v1/namespaces/\(job.namespace ?? "")/jobs/\(job.name ?? "")/status", updated)
        }
        return plan.recheck
    }
}
