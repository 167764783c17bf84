import Logging
import PalisadeAPI
import ServiceLifecycle

/// Approves node client-certificate requests that ``NodeClientApproval`` accepts, through
/// the `approval` subresource (so the signer then signs them); leaves every other request
/// untouched. Runs in the server beside the ``CertificateSigner``.
public struct NodeClientApprover: Service {
    let feed: CertificateRequestFeed

    public init(registry: ObjectRegistry, logger: Logger, retryInterval: Duration = .seconds(5)) {
        feed = CertificateRequestFeed(registry: registry, retryInterval: retryInterval, logger: logger)
    }

    public func run() async throws {
        try await feed.run { csr in
            guard case .approve(let message) = NodeClientApproval.decide(csr) else { return }
            if await feed.write(NodeClientApproval.approved(csr, message: message), subresource: .approval) {
                feed.logger.info("approved node client certificate request", metadata: ["csr": "\(csr.name ?? "")", "reason": "\(message)"])
            }
        }
    }
}
