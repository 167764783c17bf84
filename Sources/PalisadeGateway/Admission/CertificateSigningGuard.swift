import Foundation
import PalisadeAPI
import PalisadeAuth

/// Kubernetes' CertificateSigningRequest admission. A new CSR records who asked
/// (`spec.username`, `uid`, `groups`, `extra` come from the requester, never the body) and
/// must carry a well-formed request. Deciding one (adding Approved or Denied) needs the
/// `approve` verb on `signers` in `certificates.k8s.io` for its signer (or the signer's
/// `domain/*`), as in Kubernetes; and a request for a `system:masters` certificate may be
/// approved only by a member of `system:masters`, which Kubernetes does not require.
struct CertificateSigningGuard: MutatingAdmission, AdmissionCheck {
    static let group = "certificates.k8s.io"

    let authorizer: any Authorizer

    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        guard Self.isCSR(request.definition), let user = request.user else { return request.object }
        var csr = request.object
        csr[path: ["spec", "username"]] = .string(user.name)
        csr[path: ["spec", "uid"]] = user.uid.isEmpty ? nil : .string(user.uid)
        csr[path: ["spec", "groups"]] = .array(user.groups.map(JSONValue.string))
        csr[path: ["spec", "extra"]] = user.extra.isEmpty ? nil : .object(user.extra.mapValues { .array($0.map(JSONValue.string)) })
        return csr
    }

    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        guard Self.isCSR(request.definition) else { return [] }
        let csr = request.object
        let name = csr.name ?? ""
        if request.operation == .create {
            do {
                _ = try ClientCertificateRequest(base64: csr[path: ["spec", "request"]]?.stringValue ?? "")
            } catch {
                throw .invalid(kind: "CertificateSigningRequest", group: Self.group, name: name, causes: [
                    .invalid(FieldPath("spec", "request"), value: nil, error.description)
                ])
            }
            return []
        }
        let decided = CertificateSigningRequestRules.decisions(of: csr).subtracting(CertificateSigningRequestRules.decisions(of: request.old ?? .null))
        guard !decided.isEmpty, let user = request.user else { return [] }
        let signer = csr[path: ["spec", "signerName"]]?.stringValue ?? ""
        guard await mayApprove(user, signer: signer) else {
            throw .forbidden(
                "certificatesigningrequests.certificates.k8s.io \"\(name)\" is forbidden: user not permitted to approve requests with signerName \"\(signer)\"",
                name: name, group: Self.group, kind: "certificatesigningrequests"
            )
        }
        if decided.contains("Approved"), !user.groups.contains(UserInfo.mastersGroup), asksForMasters(csr) {
            throw .forbidden(
                "certificatesigningrequests.certificates.k8s.io \"\(name)\" is forbidden: only members of \(UserInfo.mastersGroup) may approve a certificate for that group",
                name: name, group: Self.group, kind: "certificatesigningrequests"
            )
        }
        return []
    }

    /// `approve` on `signers/<signerName>`, or on `signers/<domain>/*`.
    private func mayApprove(_ user: UserInfo, signer: String) async -> Bool {
        var names = [signer]
        if let slash = signer.firstIndex(of: "/") { names.append(signer[..<slash] + "/*") }
        for name in names {
            let attributes = AuthorizationAttributes(
                user: user, verb: "approve", isResourceRequest: true, apiGroup: Self.group, apiVersion: "v1", resource: "signers", name: name
            )
            if case .allow = await authorizer.authorize(attributes) { return true }
        }
        return false
    }

    private func asksForMasters(_ csr: JSONValue) -> Bool {
        // A request that does not parse is never signed; the signer reports it.
        guard let parsed = try? ClientCertificateRequest(base64: csr[path: ["spec", "request"]]?.stringValue ?? "") else { return false }
        return parsed.organizations.contains(UserInfo.mastersGroup)
    }

    static func isCSR(_ definition: ResourceDefinition) -> Bool {
        definition.group == group && definition.plural == "certificatesigningrequests"
    }
}
