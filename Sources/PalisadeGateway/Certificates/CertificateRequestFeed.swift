import Logging
import PalisadeAPI
import ServiceLifecycle

/// Every CertificateSigningRequest, those already stored and each change after, handed one at
/// a time to a controller (the signer, the node client approver). The watch is opened again
/// after `retryInterval` when it ends, until graceful shutdown.
struct CertificateRequestFeed: Sendable {
    static let requests = ServedResources.lookup(group: "certificates.k8s.io", version: "v1", resource: "certificatesigningrequests")!

    let registry: ObjectRegistry
    let retryInterval: Duration
    let logger: Logger

    func run(_ handle: @escaping @Sendable (JSONValue) async -> Void) async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // The watch starts with every existing request, so what arrived while the server was down is handled too.
                    for try await event in try await registry.watch(Self.requests, namespace: nil, options: ListOptions()) where event.kind != .deleted {
                        await handle(event.object)
                    }
                } catch {
                    logger.warning("certificate signing request watch ended", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: retryInterval)
            }
        }
    }

    /// Writes a subresource (`status`, `approval`) of `csr`, conditionally on the version it
    /// carries; false when that failed (a conflict brings a new event, anything else is logged).
    @discardableResult
    func write(_ csr: JSONValue, subresource: Subresource) async -> Bool {
        do {
            _ = try await registry.update(Self.requests, namespace: nil, name: csr.name ?? "", body: csr, subresource: subresource, options: WriteOptions())
            return true
        } catch {
            if error.code != 409 { logger.warning("cannot update certificate signing request", metadata: ["csr": "\(csr.name ?? "")", "error": "\(error.message)"]) }
            return false
        }
    }
}
