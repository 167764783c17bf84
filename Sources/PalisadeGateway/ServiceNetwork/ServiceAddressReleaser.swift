import Foundation
import Logging
import PalisadeAPI
import ServiceLifecycle

/// Frees the addresses of Services that are gone: at once for each deletion the Services
/// watch reports, and by a periodic repair for anything else (an update that dropped node
/// ports, a server stopped between reserving and storing, deletions while it was down): an
/// address whose holder no longer exists or no longer uses it is freed once older than
/// `grace`, which leaves creates in flight alone.
public struct ServiceAddressReleaser: Service {
    let registry: ObjectRegistry
    let allocations: ServiceAllocations
    let repairInterval: Duration
    let grace: TimeInterval
    let logger: Logger

    init(registry: ObjectRegistry, allocations: ServiceAllocations, repairInterval: Duration, grace: TimeInterval = 60, logger: Logger) {
        self.registry = registry
        self.allocations = allocations
        self.repairInterval = repairInterval
        self.grace = grace
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.releaseOnDeletions() }
                group.addTask {
                    repeat { await self.repair() } while (try? await Task.sleep(for: self.repairInterval)) != nil
                }
                await group.waitForAll()
            }
        }
    }

    private func releaseOnDeletions() async {
        while !Task.isCancelled {
            do {
                let events = try await registry.watch(ServiceAddressAllocator.services, namespace: nil, options: ListOptions())
                for try await event in events where event.kind == .deleted {
                    for allocation in ServiceAllocation.held(by: event.object) {
                        await allocations.release(allocation, heldBy: event.object.uid ?? "")
                    }
                }
            } catch {
                if !Task.isCancelled { logger.warning("service watch ended", metadata: ["error": "\(error)"]) }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Frees every address not held by a live Service, past the grace period, and records
    /// those live Services hold without a record (Services stored before addresses were
    /// recorded), so they are not given again.
    func repair(now: Date = Date()) async {
        do {
            let services = try await registry.list(ServiceAddressAllocator.services, namespace: nil, options: ListOptions()).items
            var holdings: [String: Set<ServiceAllocation>] = [:]
            for service in services { holdings[service.uid ?? ""] = ServiceAllocation.held(by: service) }
            let recorded = try await allocations.all()
            for (allocation, holder) in recorded where holdings[holder.uid]?.contains(allocation) != true {
                guard now.timeIntervalSince(holder.since) > grace else { continue }
                await allocations.release(allocation, heldBy: holder.uid)
            }
            let known = Set(recorded.map(\.0))
            for service in services {
                for allocation in ServiceAllocation.held(by: service) where !known.contains(allocation) {
                    if try await !allocations.reserve(allocation, for: ServiceAllocations.Holder(service)) {
                        logger.warning("two Services hold one address", metadata: ["service": "\(service.namespace ?? "")/\(service.name ?? "")", "address": "\(allocation)"])
                    }
                }
            }
        } catch {
            logger.warning("service address repair failed", metadata: ["error": "\(error)"])
        }
    }
}
