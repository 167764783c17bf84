import Logging
import PalisadeAPI
import ServiceLifecycle

/// Keeps ResourceQuota status current: every `interval`, each namespace with quotas is
/// recounted from its stored objects, so deletions and finished pods free their share.
public struct QuotaRecounter: Service {
    let ledger: QuotaLedger
    let interval: Duration
    let logger: Logger

    public init(ledger: QuotaLedger, interval: Duration, logger: Logger) {
        self.ledger = ledger
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for namespace in try await ledger.namespacesWithQuotas().sorted() {
                        try await ledger.recount(namespace: namespace)
                    }
                } catch {
                    logger.warning("quota recount failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
