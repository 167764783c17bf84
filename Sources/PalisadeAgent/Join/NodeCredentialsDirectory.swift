import Foundation
import PalisadeAuth

/// A node's client identity on disk: `node.key` (0600), `node.crt` and `node.kubeconfig`
/// (0600, key and certificate embedded). Each file is written atomically (temporary file,
/// then rename), the kubeconfig last: it is the one read back, so a crash part-way leaves
/// either the old identity or the new one, never a key without its certificate.
struct NodeCredentialsDirectory: Sendable {
    let path: String

    var keyPath: String { path + "/node.key" }
    var certificatePath: String { path + "/node.crt" }
    var kubeconfigPath: String { path + "/node.kubeconfig" }

    /// The stored kubeconfig if it is a valid, unexpired identity of `nodeName` from the CA
    /// of `caPEM`; nil otherwise (missing, unreadable, another node's, expired).
    func current(nodeName: String, caPEM: String, now: Date = Date()) -> Kubeconfig? {
        guard let text = try? PEMFile.read(kubeconfigPath), let kubeconfig = try? Kubeconfig.parse(text),
              NodeIdentity.isValid(
                  certificatePEM: kubeconfig.clientCertificatePEM, keyPEM: kubeconfig.clientKeyPEM, nodeName: nodeName, caPEM: caPEM, now: now
              )
        else { return nil }
        return kubeconfig
    }

    /// The stored kubeconfig whatever its state, for renewal; an error names the file.
    func stored() throws -> Kubeconfig {
        guard let text = try PEMFile.read(kubeconfigPath) else { throw NodeJoinError("\(kubeconfigPath) does not exist; join the node first") }
        do {
            return try Kubeconfig.parse(text)
        } catch {
            throw NodeJoinError("\(kubeconfigPath) is not a kubeconfig with an embedded client certificate and key")
        }
    }

    func write(_ kubeconfig: Kubeconfig) throws {
        try PEMFile.write(kubeconfig.clientKeyPEM, to: keyPath, mode: 0o600)
        try PEMFile.write(kubeconfig.clientCertificatePEM, to: certificatePath, mode: 0o644)
        try PEMFile.write(try kubeconfig.yaml(), to: kubeconfigPath, mode: 0o600)
    }
}
