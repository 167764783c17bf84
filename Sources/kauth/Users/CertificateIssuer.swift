import Foundation
import PalisadeAPI
import PalisadeAuth

/// Gets a client certificate for a user the way any client would: a key made here (it is
/// never sent), a CertificateSigningRequest for the signer `kubernetes.io/kube-apiserver-client`,
/// its approval through the `approval` subresource (the server checks that the caller may
/// approve), and the certificate the server's signer issues. A request that does not end in
/// a certificate is deleted again.
struct CertificateIssuer {
    static let signerName = "kubernetes.io/kube-apiserver-client"
    static let requests = APIPath.definition(plural: "certificatesigningrequests", group: "certificates.k8s.io")
    /// How long the signer gets to answer an approved request.
    static let issueLimit = Duration.seconds(30)

    /// A certificate and the key it certifies, both PEM.
    struct Issued {
        let certificatePEM: String
        let keyPEM: String
        let serial: String
        let requestName: String
    }

    let api: ClusterAPI

    func issue(user: String, groups: [String], expirationSeconds: Int64?) async throws -> Issued {
        let (requestPEM, keyPEM) = try ClientCertificateRequest.generate(user: user, groups: groups)
        let name = "kauth-\(user.prefix(200))-\(String(UInt32.random(in: .min ... .max), radix: 16))"
        var spec: [String: JSONValue] = [
            "request": .string(Data(requestPEM.utf8).base64EncodedString()), "signerName": .string(Self.signerName),
            "usages": ["client auth"],
        ]
        if let expirationSeconds { spec["expirationSeconds"] = .int(expirationSeconds) }
        try await api.post(APIPath.collection(Self.requests), [
            "apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": ["name": .string(name)],
            "spec": .object(spec),
        ])
        do {
            try await approve(name)
            let pem = try await awaitCertificate(name)
            return Issued(certificatePEM: pem, keyPEM: keyPEM, serial: try CertificateSerial.of(pem: pem), requestName: name)
        } catch {
            _ = try? await api.delete(APIPath.object(Self.requests, name: name))
            throw error
        }
    }

    private func approve(_ name: String) async throws {
        let path = APIPath.object(Self.requests, name: name)
        guard var request = try await api.get(path) else { throw KauthError("certificatesigningrequest \"\(name)\" vanished") }
        var conditions = request[path: ["status", "conditions"]]?.arrayValue ?? []
        conditions.append([
            "type": "Approved", "status": "True", "reason": "KauthUserAdministration",
            "message": "approved by kauth", "lastUpdateTime": .string(Timestamp.format(Date())),
        ])
        request[path: ["status", "conditions"]] = .array(conditions)
        try await api.put(path + "/approval", request)
    }

    /// Polls the request until the signer has set `status.certificate` (or refused).
    private func awaitCertificate(_ name: String) async throws -> String {
        let path = APIPath.object(Self.requests, name: name)
        let deadline = ContinuousClock.now + Self.issueLimit
        while ContinuousClock.now < deadline {
            let request = try await api.get(path)
            if let encoded = request?[path: ["status", "certificate"]]?.stringValue, !encoded.isEmpty,
                let pem = Data(base64Encoded: encoded).map({ String(decoding: $0, as: UTF8.self) })
            {
                return pem
            }
            for condition in request?[path: ["status", "conditions"]]?.arrayValue ?? []
            where ["Denied", "Failed"].contains(condition["type"]?.stringValue ?? "") {
                throw KauthError("certificatesigningrequest \"\(name)\" \(condition["type"]?.stringValue ?? ""): \(condition["message"]?.stringValue ?? "")")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw KauthError("the server issued no certificate for certificatesigningrequest \"\(name)\" within 30 s (is its signer running?)")
    }
}
