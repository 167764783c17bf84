import Foundation
import Logging
import PalisadeAPI
import PalisadeAuth
import ServiceLifecycle

/// The signer for `kubernetes.io/kube-apiserver-client`, as kube-controller-manager's:
/// it watches CertificateSigningRequests and issues a client certificate for each approved
/// one (subject CN and O from the request, client-auth usage only, valid for the requested
/// `expirationSeconds` up to `maximumValidity`), writes it to `status.certificate`, and
/// records it. A request that cannot be signed gets a `Failed` condition saying why.
public struct CertificateSigner: Service {
    static let requests = ServedResources.lookup(group: "certificates.k8s.io", version: "v1", resource: "certificatesigningrequests")!

    let registry: ObjectRegistry
    let authority: CertificateAuthority
    let records: IssuedCertificates
    let maximumValidity: TimeInterval
    let logger: Logger
    let retryInterval: Duration

    public init(
        registry: ObjectRegistry, authority: CertificateAuthority, maximumValidity: TimeInterval, logger: Logger,
        retryInterval: Duration = .seconds(5)
    ) {
        self.registry = registry
        self.authority = authority
        records = IssuedCertificates(store: registry.store)
        self.maximumValidity = maximumValidity
        self.logger = logger
        self.retryInterval = retryInterval
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // The watch starts with every existing request, so approvals made while the server was down are served too.
                    for try await event in try await registry.watch(Self.requests, namespace: nil, options: ListOptions()) where event.kind != .deleted {
                        await sign(event.object)
                    }
                } catch {
                    logger.warning("certificate signing request watch ended", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: retryInterval)
            }
        }
    }

    /// Signs `csr` if it is approved, for this signer, and not yet answered.
    func sign(_ csr: JSONValue) async {
        let decisions = CertificateSigningRequestRules.decisions(of: csr)
        let conditions = (csr[path: ["status", "conditions"]]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        guard csr[path: ["spec", "signerName"]]?.stringValue == CertificateSigningRequestRules.clientSigner,
              decisions == ["Approved"], !conditions.contains("Failed"),
              (csr[path: ["status", "certificate"]]?.stringValue ?? "").isEmpty
        else { return }
        var answered = csr
        let issued: (certificate: IssuedClientCertificate, request: ClientCertificateRequest)
        do {
            issued = try issue(csr)
            answered[path: ["status", "certificate"]] = .string(Data(issued.certificate.pem.utf8).base64EncodedString())
        } catch {
            answered[path: ["status", "conditions"]] = .array((csr[path: ["status", "conditions"]]?.arrayValue ?? []) + [[
                "type": "Failed", "status": "True", "reason": "SignerValidationFailure", "message": .string("\(error)"),
                "lastUpdateTime": .string(Timestamp.format(Date())), "lastTransitionTime": .string(Timestamp.format(Date())),
            ]])
            await write(answered)
            return
        }
        // The write is conditional on the version read: a concurrent change brings a new event.
        guard await write(answered) else { return }
        do {
            try await records.record(issued.certificate, user: issued.request.commonName, groups: issued.request.organizations, request: csr.name ?? "")
        } catch {
            logger.error("issued certificate not recorded", metadata: ["csr": "\(csr.name ?? "")", "error": "\(error.message)"])
        }
    }

    private func issue(_ csr: JSONValue) throws -> (certificate: IssuedClientCertificate, request: ClientCertificateRequest) {
        let request = try ClientCertificateRequest(base64: csr[path: ["spec", "request"]]?.stringValue ?? "")
        let requested = csr[path: ["spec", "expirationSeconds"]]?.intValue.map(TimeInterval.init) ?? maximumValidity
        return (try authority.sign(request, validity: min(requested, maximumValidity)), request)
    }

    @discardableResult
    private func write(_ csr: JSONValue) async -> Bool {
        do {
            _ = try await registry.update(Self.requests, namespace: nil, name: csr.name ?? "", body: csr, subresource: .status, options: WriteOptions())
            return true
        } catch {
            if error.code != 409 { logger.warning("cannot answer certificate signing request", metadata: ["csr": "\(csr.name ?? "")", "error": "\(error.message)"]) }
            return false
        }
    }
}
