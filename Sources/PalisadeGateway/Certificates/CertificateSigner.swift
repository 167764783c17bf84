import Foundation
import Logging
import PalisadeAPI
import PalisadeAuth
import ServiceLifecycle

/// The signer for `kubernetes.io/kube-apiserver-client` and
/// `kubernetes.io/kube-apiserver-client-kubelet`, as kube-controller-manager's: it watches
/// CertificateSigningRequests and issues a client certificate for each approved one (subject
/// CN and O from the request, client-auth usage only, valid for the requested
/// `expirationSeconds` up to `maximumValidity`), writes it to `status.certificate`, and
/// records it. A request that cannot be signed (``ClientSignerPolicy``) gets a `Failed`
/// condition saying why.
public struct CertificateSigner: Service {
    let registry: ObjectRegistry
    let authority: CertificateAuthority
    let records: IssuedCertificates
    let maximumValidity: TimeInterval
    let logger: Logger
    let feed: CertificateRequestFeed

    public init(
        registry: ObjectRegistry, authority: CertificateAuthority, maximumValidity: TimeInterval, logger: Logger,
        retryInterval: Duration = .seconds(5)
    ) {
        self.registry = registry
        self.authority = authority
        records = IssuedCertificates(store: registry.store)
        self.maximumValidity = maximumValidity
        self.logger = logger
        feed = CertificateRequestFeed(registry: registry, retryInterval: retryInterval, logger: logger)
    }

    public func run() async throws {
        try await feed.run { await sign($0) }
    }

    /// Signs `csr` if it is approved, for this signer, and not yet answered.
    func sign(_ csr: JSONValue) async {
        let decisions = CertificateSigningRequestRules.decisions(of: csr)
        let conditions = (csr[path: ["status", "conditions"]]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        guard let signer = csr[path: ["spec", "signerName"]]?.stringValue, CertificateSigningRequestRules.clientSigners.contains(signer),
              decisions == ["Approved"], !conditions.contains("Failed"),
              (csr[path: ["status", "certificate"]]?.stringValue ?? "").isEmpty
        else { return }
        var answered = csr
        let issued: (certificate: IssuedClientCertificate, request: ClientCertificateRequest)
        do {
            issued = try issue(csr, signer: signer)
            answered[path: ["status", "certificate"]] = .string(Data(issued.certificate.pem.utf8).base64EncodedString())
        } catch {
            answered[path: ["status", "conditions"]] = .array((csr[path: ["status", "conditions"]]?.arrayValue ?? []) + [[
                "type": "Failed", "status": "True", "reason": "SignerValidationFailure", "message": .string("\(error)"),
                "lastUpdateTime": .string(Timestamp.format(Date())), "lastTransitionTime": .string(Timestamp.format(Date())),
            ]])
            await feed.write(answered, subresource: .status)
            return
        }
        // The write is conditional on the version read: a concurrent change brings a new event.
        guard await feed.write(answered, subresource: .status) else { return }
        do {
            try await records.record(issued.certificate, user: issued.request.commonName, groups: issued.request.organizations, request: csr.name ?? "")
        } catch {
            logger.error("issued certificate not recorded", metadata: ["csr": "\(csr.name ?? "")", "error": "\(error.message)"])
        }
    }

    private func issue(_ csr: JSONValue, signer: String) throws -> (certificate: IssuedClientCertificate, request: ClientCertificateRequest) {
        let request = try ClientCertificateRequest(base64: csr[path: ["spec", "request"]]?.stringValue ?? "")
        try ClientSignerPolicy.check(request, signer: signer)
        let requested = csr[path: ["spec", "expirationSeconds"]]?.intValue.map(TimeInterval.init) ?? maximumValidity
        return (try authority.sign(request, validity: min(requested, maximumValidity)), request)
    }
}
