import Foundation
import PalisadeAPI
import PalisadeAdmission
import Synchronization

/// The usage recorded in ResourceQuota objects, kept exact: a create is charged to every
/// quota it touches before it is stored (refused if that would pass `spec.hard`), a create
/// that is not stored gives its charge back, and a recount from the stored objects (plus the
/// charges of creates still in flight) corrects what deletions and finished pods free.
/// Charges, refunds and recounts of one namespace run one at a time, and every status write
/// is conditional on the quota's resource version, so concurrent creates never over-admit.
public final class QuotaLedger: Sendable {
    static let quotas = ServedResources.lookup(group: "", version: "v1", resource: "resourcequotas")!

    /// A create's charge, until the create is settled.
    struct Charge {
        let usage: [String: Quantity]
        let quotas: [String]
    }

    let reader: ObjectRegistry
    /// The quota list of a namespace, cached between quota writes.
    let reads: AdmissionReads
    private let locks = KeyedLock()
    /// Charges of creates not yet settled, by namespace and object UID.
    private let pending = Mutex<[String: [String: Charge]]>([:])

    /// - Parameter reader: a registry over the store, without admission of its own, that
    ///   reports its writes to `reads`.
    init(reader: ObjectRegistry, reads: AdmissionReads) {
        self.reader = reader
        self.reads = reads
    }

    // MARK: Charging

    /// Charges `usage` of the new object `uid` to the quotas of `namespace` that track any of
    /// it; throws the refusal when one would be exceeded (then nothing stays charged). A dry
    /// run is judged the same way and charges nothing. `unspecified` names what a pod leaves
    /// out that a quota's keys need (compute requests or limits): such a pod cannot be
    /// charged, and is refused. Creates no quota concerns do not wait for the lock.
    func charge(
        _ usage: [String: Quantity], uid: String, namespace: String, describe: @escaping (String) -> String, dryRun: Bool,
        unspecified: ((Set<String>) -> String?)?
    ) async throws(APIError) {
        let concerned = try await reads.list(Self.quotas, namespace: namespace).contains { quota in
            let hard = Set((quota[path: ["spec", "hard"]]?.objectValue ?? [:]).keys)
            return hard.contains { usage[$0] != nil } || unspecified?(hard) != nil
        }
        guard concerned else { return }
        try await locks.withLock(namespace) { () async throws(APIError) -> Void in
            var charged: [String] = []
            for quota in try await reconciledQuotas(in: namespace) {
                let name = quota.name ?? ""
                let hardKeys = Set((quota[path: ["spec", "hard"]]?.objectValue ?? [:]).keys)
                if let missing = unspecified?(hardKeys) {
                    await refund(usage, to: charged, in: namespace)
                    throw .forbidden(describe("failed quota: \(name): must specify \(missing)"))
                }
                guard hardKeys.contains(where: { usage[$0] != nil }) else { continue }
                do throws(APIError) {
                    try await apply(usage, to: name, in: namespace, refusing: describe, dryRun: dryRun)
                } catch {
                    await refund(usage, to: charged, in: namespace)
                    throw error
                }
                if !dryRun { charged.append(name) }
            }
            if !charged.isEmpty {
                pending.withLock { $0[namespace, default: [:]][uid] = Charge(usage: usage, quotas: charged) }
            }
        }
    }

    /// Gives `usage` back to quotas charged for a create that did not happen. Caller holds
    /// the namespace's lock; a refund that fails is left to the next recount.
    private func refund(_ usage: [String: Quantity], to quotas: [String], in namespace: String) async {
        for name in quotas {
            try? await apply(usage.mapValues { .zero - $0 }, to: name, in: namespace, refusing: nil, dryRun: false)
        }
    }

    /// Ends the charge of `uid`: kept when the object was stored (recounts now see the object
    /// itself), given back when it was not. The refund drops the pending record under the
    /// namespace's lock, so no recount can see neither the charge nor its refund.
    func settle(uid: String, namespace: String, stored: Bool) async {
        guard !stored else {
            _ = pending.withLock { $0[namespace]?.removeValue(forKey: uid) }
            return
        }
        // Nothing was charged (no quota concerned it, or a dry run): nothing to give back.
        guard pending.withLock({ $0[namespace]?[uid] != nil }) else { return }
        try? await locks.withLock(namespace) { () async throws(APIError) -> Void in
            guard let charge = pending.withLock({ $0[namespace]?.removeValue(forKey: uid) }) else { return }
            await refund(charge.usage, to: charge.quotas, in: namespace)
        }
    }

    /// Adds `delta` to one quota's `status.used`, retrying on concurrent edits of the quota;
    /// with `refusing`, throws 403 instead when a tracked key would pass its hard limit.
    private func apply(
        _ delta: [String: Quantity], to name: String, in namespace: String, refusing describe: ((String) -> String)?, dryRun: Bool
    ) async throws(APIError) {
        while true {
            guard let quota = try await current(name, in: namespace) else { return }
            let hard = Quantity.list(quota[path: ["spec", "hard"]])
            var used = Quantity.list(quota[path: ["status", "used"]])
            let tracked = delta.filter { hard[$0.key] != nil }
            if let describe {
                let over = QuotaUsage.exceeded(hard: hard, used: used, delta: tracked)
                if !over.isEmpty {
                    throw .forbidden(describe(
                        "exceeded quota: \(name), requested: \(QuotaUsage.describe(over, tracked)), "
                            + "used: \(QuotaUsage.describe(over, used)), limited: \(QuotaUsage.describe(over, hard))"
                    ))
                }
            }
            if dryRun || tracked.isEmpty { return }
            for (key, amount) in tracked { used[key] = max(.zero, (used[key] ?? .zero) + amount) }
            if try await write(quota, hard: hard, used: used) { return }
        }
    }

    // MARK: Recounting

    /// Recounts every quota of `namespace` from the stored objects and the charges in flight.
    public func recount(namespace: String) async throws(APIError) {
        try await locks.withLock(namespace) { () async throws(APIError) -> Void in
            for quota in try await reader.list(Self.quotas, namespace: namespace, options: ListOptions()).items {
                try await recount(quota.name ?? "", in: namespace)
            }
        }
    }

    /// The namespaces that have quotas.
    func namespacesWithQuotas() async throws(APIError) -> Set<String> {
        Set(try await reader.list(Self.quotas, namespace: nil, options: ListOptions()).items.compactMap(\.namespace))
    }

    /// The namespace's quotas, each recounted first if its `status.hard` does not match
    /// `spec.hard` yet (new, or edited): usage is never judged against a stale record.
    private func reconciledQuotas(in namespace: String) async throws(APIError) -> [JSONValue] {
        var quotas: [JSONValue] = []
        for quota in try await reads.list(Self.quotas, namespace: namespace) {
            if quota[path: ["spec", "hard"]] != quota[path: ["status", "hard"]] {
                try await recount(quota.name ?? "", in: namespace)
            }
            quotas.append(quota)
        }
        return quotas
    }

    /// Caller holds the namespace's lock.
    private func recount(_ name: String, in namespace: String) async throws(APIError) {
        while true {
            guard let quota = try await current(name, in: namespace) else { return }
            let hard = Quantity.list(quota[path: ["spec", "hard"]])
            // Charges in flight are read before the objects, so a create stored in between is
            // seen at least once; one seen in both is counted from the store only.
            let inFlight = pending.withLock { ($0[namespace] ?? [:]).filter { $0.value.quotas.contains(name) } }
            var (used, seen) = try await storedUsage(of: Set(hard.keys), in: namespace)
            for (uid, charge) in inFlight where !seen.contains(uid) {
                for (key, amount) in charge.usage where hard[key] != nil { used[key] = (used[key] ?? .zero) + amount }
            }
            if try await write(quota, hard: hard, used: used) { return }
        }
    }

    /// What the stored objects of `namespace` use, for the keys given, and the UIDs of the
    /// objects counted.
    private func storedUsage(
        of keys: Set<String>, in namespace: String
    ) async throws(APIError) -> (used: [String: Quantity], seen: Set<String>) {
        var used: [String: Quantity] = Dictionary(uniqueKeysWithValues: keys.map { ($0, Quantity.zero) })
        var seen: Set<String> = []
        for source in Set(keys.map(QuotaUsage.source)) {
            guard let definition = ServedResources.all.first(where: { $0.group == source.group && $0.plural == source.resource }) else { continue }
            for object in try await reader.list(definition, namespace: namespace, options: ListOptions()).items {
                if let uid = object.uid { seen.insert(uid) }
                for (key, amount) in QuotaUsage.usage(of: object, group: definition.group, resource: definition.plural) where keys.contains(key) {
                    used[key] = (used[key] ?? .zero) + amount
                }
            }
        }
        return (used, seen)
    }

    /// The quota as stored now; nil when it was deleted meanwhile (it limits nothing any more).
    private func current(_ name: String, in namespace: String) async throws(APIError) -> JSONValue? {
        do {
            return try await reader.get(Self.quotas, namespace: namespace, name: name)
        } catch where error.code == 404 {
            return nil
        }
    }

    /// Writes `status.hard`/`status.used` if they changed, conditional on the version read;
    /// false when the quota changed meanwhile (read it again).
    private func write(_ quota: JSONValue, hard: [String: Quantity], used: [String: Quantity]) async throws(APIError) -> Bool {
        var updated = quota
        updated["status"] = [
            "hard": quota[path: ["spec", "hard"]] ?? .emptyObject,
            "used": .object(Dictionary(uniqueKeysWithValues: hard.keys.map { ($0, JSONValue.string((used[$0] ?? .zero).description)) })),
        ]
        if updated["status"] == quota["status"] { return true }
        do {
            _ = try await reader.update(
                Self.quotas, namespace: quota.namespace, name: quota.name ?? "", body: updated, subresource: .status, options: WriteOptions()
            )
            return true
        } catch where error.code == 409 {
            return false
        }
    }
}
