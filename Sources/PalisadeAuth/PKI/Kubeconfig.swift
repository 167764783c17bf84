import Foundation
import Yams

/// A kubeconfig with one cluster, one user and one context, credentials embedded
/// (`*-data` fields) so the file stands alone. It holds a private key: write it 0600.
public struct Kubeconfig: Sendable, Equatable {
    public var clusterName: String
    public var server: String
    public var certificateAuthorityPEM: String
    public var userName: String
    public var clientCertificatePEM: String
    public var clientKeyPEM: String
    public var namespace: String?

    public init(
        clusterName: String, server: String, certificateAuthorityPEM: String, userName: String,
        clientCertificatePEM: String, clientKeyPEM: String, namespace: String? = nil
    ) {
        self.clusterName = clusterName
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.userName = userName
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.namespace = namespace
    }

    private var contextName: String { "\(userName)@\(clusterName)" }

    /// The standard YAML form, as kubectl writes it.
    public func yaml() throws -> String {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        var context: [String: String] = ["cluster": clusterName, "user": userName]
        if let namespace { context["namespace"] = namespace }
        let document: [String: Any] = [
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [["name": clusterName, "cluster": ["server": server, "certificate-authority-data": base64(certificateAuthorityPEM)]]],
            "users": [["name": userName, "user": [
                "client-certificate-data": base64(clientCertificatePEM), "client-key-data": base64(clientKeyPEM),
            ]]],
            "contexts": [["name": contextName, "context": context]],
            "current-context": contextName,
            "preferences": [String: String](),
        ]
        return try Yams.dump(object: document, sortKeys: true)
    }

    /// Reads the current context of a kubeconfig with embedded credentials.
    public static func parse(_ text: String) throws -> Kubeconfig {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw PKIError("kubeconfig is not a mapping") }
        func named(_ list: String, _ name: String) throws -> [String: Any] {
            let entries = root[list] as? [[String: Any]] ?? []
            guard let entry = entries.first(where: { $0["name"] as? String == name }) else {
                throw PKIError("kubeconfig has no \(list) entry named \(name)")
            }
            return entry
        }
        func decoded(_ value: Any?, _ field: String) throws -> String {
            guard let text = value as? String, let data = Data(base64Encoded: text) else { throw PKIError("kubeconfig lacks \(field)") }
            return String(decoding: data, as: UTF8.self)
        }
        guard let current = root["current-context"] as? String else { throw PKIError("kubeconfig has no current-context") }
        let context = try named("contexts", current)["context"] as? [String: Any] ?? [:]
        let clusterName = context["cluster"] as? String ?? ""
        let userName = context["user"] as? String ?? ""
        let cluster = try named("clusters", clusterName)["cluster"] as? [String: Any] ?? [:]
        let user = try named("users", userName)["user"] as? [String: Any] ?? [:]
        return Kubeconfig(
            clusterName: clusterName,
            server: cluster["server"] as? String ?? "",
            certificateAuthorityPEM: try decoded(cluster["certificate-authority-data"], "certificate-authority-data"),
            userName: userName,
            clientCertificatePEM: try decoded(user["client-certificate-data"], "client-certificate-data"),
            clientKeyPEM: try decoded(user["client-key-data"], "client-key-data"),
            namespace: context["namespace"] as? String
        )
    }
}
