import Foundation
import Logging
import PalisadeAPI
import PalisadeAuth
import PalisadeClient

/// One round of asking for a node client certificate, the same for joining (over the
/// bootstrap listener with a token) and for renewal (as the node, over mTLS): a new P-256
/// key, a CertificateSigningRequest `node-csr-<node>-<random>` for the kubelet client
/// signer, then a bounded wait (watch, re-opened as needed) until the certificate is issued,
/// or the request is denied or fails. The key never leaves this process.
struct NodeCertificateRequest: Sendable {
    static let collection = "/apis/certificates.k8s.io/v1/certificatesigningrequests"
    static let usages: [JSONValue] = ["digital signature", "key encipherment", "client auth"]

    let client: PalisadeClient
    /// Whether `client` talks to the bootstrap listener (a 401 then means the token was refused).
    let bootstrap: Bool
    let nodeName: String
    /// The cluster CA: the issued certificate must chain to it.
    let caPEM: String
    let waitLimit: Duration
    let logger: Logger

    /// The new key and its certificate, both PEM.
    func run() async throws -> (keyPEM: String, certificatePEM: String) {
        let (requestPEM, keyPEM) = try ClientCertificateRequest.generate(user: NodeIdentity.user(nodeName), groups: [NodeIdentity.group])
        let name = Self.name(for: nodeName)
        let csr: JSONValue = [
            "apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": ["name": .string(name)],
            "spec": [
                "request": .string(Data(requestPEM.utf8).base64EncodedString()),
                "signerName": .string(CertificateSigningRequestRules.kubeletClientSigner), "usages": .array(Self.usages),
            ],
        ]
        _ = try await answer(try await client.request("POST", Self.collection, json: csr))
        logger.info("asked for a node client certificate", metadata: ["csr": "\(name)", "server": "\(client.server)"])
        let certificatePEM = try await withDeadline(name) { try await waitForCertificate(name) }
        guard NodeIdentity.isValid(certificatePEM: certificatePEM, keyPEM: keyPEM, nodeName: nodeName, caPEM: caPEM) else {
            throw NodeJoinError("the certificate issued for \(name) does not match the request (subject, key or dates)")
        }
        return (keyPEM, certificatePEM)
    }

    /// `node-csr-<node>-<8 random characters>`, cut so it stays a valid object name.
    static func name(for nodeName: String) -> String {
        let suffix = String((0..<8).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        return "node-csr-\(nodeName.prefix(200))-\(suffix)"
    }

    /// Reads the request until it carries a certificate (returned, PEM) or a decision against it.
    private func waitForCertificate(_ name: String) async throws -> String {
        let selector = "metadata.name%3D\(name)"
        while true {
            let current = try await answer(try await client.request("GET", "\(Self.collection)/\(name)", json: nil))
            if let certificate = try outcome(current, name: name) { return certificate }
            let version = current.resourceVersion ?? ""
            do {
                let events = try await client.watch("\(Self.collection)?watch=1&fieldSelector=\(selector)&resourceVersion=\(version)&timeoutSeconds=60")
                for try await event in events where ["ADDED", "MODIFIED"].contains(event["type"]?.stringValue ?? "") {
                    if let object = event["object"], let certificate = try outcome(object, name: name) { return certificate }
                }
            } catch let error as NodeJoinError {
                throw error
            } catch let refusal as ClientError {
                throw NodeJoinError.refused(client.server, bootstrap: bootstrap, status: refusal.status, message: Self.message(refusal))
            } catch {
                // A dropped watch is opened again after a pause; the deadline bounds the retries.
                logger.debug("certificate request watch ended", metadata: ["csr": "\(name)", "error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// The certificate once issued; an error once denied or failed; nil while pending.
    private func outcome(_ csr: JSONValue, name: String) throws -> String? {
        for condition in csr[path: ["status", "conditions"]]?.arrayValue ?? [] {
            guard ["Denied", "Failed"].contains(condition["type"]?.stringValue ?? "") else { continue }
            let message = [condition["reason"]?.stringValue, condition["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            throw NodeJoinError.denied(name, server: client.server, message: message)
        }
        guard let encoded = csr[path: ["status", "certificate"]]?.stringValue, !encoded.isEmpty else { return nil }
        guard let data = Data(base64Encoded: encoded) else { throw NodeJoinError("the certificate issued for \(name) is not base64") }
        return String(decoding: data, as: UTF8.self)
    }

    private func answer(_ response: PalisadeClient.Response) async throws -> JSONValue {
        do {
            return try response.requireJSON()
        } catch let refusal as ClientError {
            throw NodeJoinError.refused(client.server, bootstrap: bootstrap, status: refusal.status, message: Self.message(refusal))
        }
    }

    /// The server's Status message, or the HTTP status when it sent none.
    static func message(_ refusal: ClientError) -> String {
        (try? JSONParser.parse(refusal.body))?["message"]?.stringValue ?? "HTTP \(refusal.status)"
    }

    /// Runs `body` (the wait for request `name`) for at most `waitLimit`.
    private func withDeadline<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: waitLimit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw NodeJoinError.unanswered(name, server: client.server, seconds: waitLimit.components.seconds)
            }
            return result
        }
    }
}
