import Foundation
import Logging
import PalisadeAPI

/// Leadership through a `coordination.k8s.io/v1` Lease in `kube-system`, as Kubernetes'
/// leader election does: the holder renews `renewTime`; anyone may take the Lease once it has
/// gone `leaseDurationSeconds` without renewal; every write is conditional on the version
/// read, so two candidates never both win. The holder stops leading (its work is
/// cancelled) as soon as it cannot renew within the lease duration, and releases the
/// Lease when it shuts down, so a successor need not wait.
public struct LeaderElection: Sendable {
    public static let namespace = "kube-system"

    let client: APIClient
    let name: String
    let identity: String
    let leaseDuration: Duration
    let renewInterval: Duration
    let logger: Logger

    public init(
        client: APIClient, name: String, identity: String, leaseDuration: Duration = .seconds(15),
        renewInterval: Duration = .seconds(2), logger: Logger
    ) {
        self.client = client
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewInterval = renewInterval
        self.logger = logger
    }

    var collection: String { "/apis/coordination.k8s.io/v1/namespaces/\(Self.namespace)/leases" }
    var path: String { "\(collection)/\(name)" }

    /// Runs `lead` whenever this candidate holds the Lease, until cancelled.
    public func run(_ lead: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            if await (try? acquireOrRenew()) == true {
                logger.info("became leader", metadata: ["lease": "\(name)", "identity": "\(identity)"])
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await lead() }
                    group.addTask { await self.keepRenewing() }
                    // Either leadership was lost or the whole thing is being cancelled.
                    _ = await group.next()
                    group.cancelAll()
                }
                // The requests must go out although this task is cancelled.
                if Task.isCancelled { await Task { await release() }.value }
            }
            try? await Task.sleep(for: renewInterval)
        }
    }

    /// Renews until a renewal has failed for longer than the lease duration or cancellation.
    private func keepRenewing() async {
        var lastRenewal = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: renewInterval)
            if await (try? acquireOrRenew()) == true {
                lastRenewal = .now
            } else if ContinuousClock.now - lastRenewal >= leaseDuration - renewInterval {
                logger.warning("lost leadership", metadata: ["lease": "\(name)"])
                return
            }
        }
    }

    /// Takes or renews the Lease; false when another holder's lease is still current or
    /// another candidate wrote first.
    func acquireOrRenew(now: Date = Date()) async throws -> Bool {
        let stamp = JSONValue.string(Timestamp.formatMicro(now))
        guard var lease = try await client.get(path) else {
            do {
                try await client.create(collection, [
                    "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": ["name": .string(name), "namespace": .string(Self.namespace)],
                    "spec": [
                        "holderIdentity": .string(identity), "leaseDurationSeconds": .int(leaseDuration.components.seconds),
                        "acquireTime": stamp, "renewTime": stamp, "leaseTransitions": 0,
                    ],
                ])
                return true
            } catch let failure as APIFailure where failure.isConflict {
                return false
            }
        }
        let holder = lease[path: ["spec", "holderIdentity"]]?.stringValue ?? ""
        if holder != identity && !holder.isEmpty && !Self.expired(lease, now: now) { return false }
        if holder != identity {
            lease[path: ["spec", "acquireTime"]] = stamp
            lease[path: ["spec", "leaseTransitions"]] = .int((lease[path: ["spec", "leaseTransitions"]]?.intValue ?? 0) + 1)
        }
        lease[path: ["spec", "holderIdentity"]] = .string(identity)
        lease[path: ["spec", "leaseDurationSeconds"]] = .int(leaseDuration.components.seconds)
        lease[path: ["spec", "renewTime"]] = stamp
        do {
            try await client.update(path, lease)
            return true
        } catch let failure as APIFailure where failure.isConflict {
            return false
        }
    }

    /// Whether the holder's last renewal is older than its lease duration.
    static func expired(_ lease: JSONValue, now: Date) -> Bool {
        guard let renewed = lease[path: ["spec", "renewTime"]]?.stringValue.flatMap(Timestamp.parse) else { return true }
        let duration = Double(lease[path: ["spec", "leaseDurationSeconds"]]?.intValue ?? 15)
        return renewed.addingTimeInterval(duration) < now
    }

    /// Gives the Lease up (an empty holder) so the next candidate takes over at once.
    private func release() async {
        guard var lease = try? await client.get(path), lease[path: ["spec", "holderIdentity"]]?.stringValue == identity else { return }
        lease[path: ["spec", "holderIdentity"]] = ""
        _ = try? await client.update(path, lease)
    }
}
