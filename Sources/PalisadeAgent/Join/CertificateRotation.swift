import Foundation
import Logging
import PalisadeAuth
import PalisadeClient
import ServiceLifecycle

/// Keeps a node's client certificate fresh, as the kubelet's certificate manager: once a
/// random point between 70 % and 80 % of the current certificate's lifetime has passed, it
/// asks for a new one as the node itself (mTLS with the current certificate, the server's
/// renewal path), writes key, certificate and kubeconfig atomically to the node's directory,
/// and hands the new kubeconfig to `onRenewed`. A failed attempt is retried after
/// `retryInterval`; the old certificate stays in use meanwhile.
public struct CertificateRotation: Service {
    let nodeName: String
    let files: NodeCredentialsDirectory
    let renewalWindow: ClosedRange<Double>
    let retryInterval: Duration
    let waitLimit: Duration
    let logger: Logger
    let onRenewed: @Sendable (Kubeconfig) async -> Void

    /// - Parameters:
    ///   - directory: the node's directory, as given to ``NodeJoin/credentials(server:bootstrapServer:caPEM:token:nodeName:directory:waitLimit:logger:)``.
    ///   - renewalWindow: the fractions of the lifetime between which renewal starts.
    public init(
        nodeName: String, directory: String, renewalWindow: ClosedRange<Double> = 0.7...0.8, retryInterval: Duration = .seconds(30),
        waitLimit: Duration = .seconds(300), logger: Logger, onRenewed: @escaping @Sendable (Kubeconfig) async -> Void
    ) {
        self.nodeName = nodeName
        files = NodeCredentialsDirectory(path: directory)
        self.renewalWindow = renewalWindow
        self.retryInterval = retryInterval
        self.waitLimit = waitLimit
        self.logger = logger
        self.onRenewed = onRenewed
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let validity = try NodeIdentity.validity(of: try files.stored().clientCertificatePEM)
                let due = Self.renewalDate(notBefore: validity.notBefore, notAfter: validity.notAfter, fraction: .random(in: renewalWindow))
                logger.info("node client certificate renewal scheduled", metadata: ["at": "\(due)", "expires": "\(validity.notAfter)"])
                try await Task.sleep(for: .seconds(max(0, due.timeIntervalSinceNow)))
                while !Task.isCancelled {
                    do {
                        await onRenewed(try await renew())
                        break
                    } catch {
                        logger.warning("node client certificate renewal failed; retrying", metadata: ["error": "\(error)"])
                        try await Task.sleep(for: retryInterval)
                    }
                }
            }
        }
    }

    /// Renews now: asks for a new certificate as the node, stores it, and returns the new kubeconfig.
    public func renew() async throws -> Kubeconfig {
        var kubeconfig = try files.stored()
        let client = try PalisadeClient(kubeconfig: kubeconfig, connections: 1)
        do {
            let issued = try await NodeCertificateRequest(
                client: client, bootstrap: false, nodeName: nodeName, caPEM: kubeconfig.certificateAuthorityPEM, waitLimit: waitLimit, logger: logger
            ).run()
            try await client.shutdown()
            kubeconfig.clientCertificatePEM = issued.certificatePEM
            kubeconfig.clientKeyPEM = issued.keyPEM
        } catch {
            try? await client.shutdown()
            throw error
        }
        try files.write(kubeconfig)
        logger.info("node client certificate renewed", metadata: ["node": "\(nodeName)"])
        return kubeconfig
    }

    /// When renewal is due: `fraction` of the way from `notBefore` to `notAfter`.
    public static func renewalDate(notBefore: Date, notAfter: Date, fraction: Double) -> Date {
        notBefore.addingTimeInterval(notAfter.timeIntervalSince(notBefore) * min(max(fraction, 0), 1))
    }
}
