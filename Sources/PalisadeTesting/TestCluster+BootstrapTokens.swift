import Foundation
import PalisadeAPI
import PalisadeAuth
import PalisadeClient

extension TestCluster {
    /// The bootstrap listener's URL; the cluster must have been started with one.
    public var bootstrapServer: String {
        get throws {
            guard let bootstrapPort else { throw TestClusterError("the cluster was started without a bootstrap listener") }
            return "https://127.0.0.1:\(bootstrapPort)"
        }
    }

    /// Stores a bootstrap token Secret as `kauth token create` does (the admin writes it), and
    /// returns the token. `secretType` and `usage` let tests store tokens the server must refuse.
    @discardableResult
    public func createBootstrapToken(
        _ token: BootstrapToken = .generate(), expiresIn lifetime: TimeInterval = 3600, extraGroups: [String] = [],
        secretType: String = BootstrapTokenSecret.type, usage: String = "true"
    ) async throws -> BootstrapToken {
        var data = BootstrapTokenSecret.data(for: token, expiration: Date().addingTimeInterval(lifetime), description: "test", extraGroups: extraGroups)
        data[BootstrapTokenSecret.Key.usageAuthentication] = usage
        let secret: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "type": .string(secretType),
            "metadata": ["name": .string(BootstrapTokenSecret.name(id: token.id)), "namespace": .string(BootstrapTokenSecret.namespace)],
            "data": .object(data.mapValues { .string(Data($0.utf8).base64EncodedString()) }),
        ]
        _ = try await admin.request("POST", "/api/v1/namespaces/\(BootstrapTokenSecret.namespace)/secrets", json: secret).requireJSON()
        return token
    }

    /// A client of the bootstrap listener sending `token` (any text, so tests can send malformed ones).
    public func bootstrapClient(token: String) throws -> PalisadeClient {
        try PalisadeClient(server: try bootstrapServer, certificateAuthorityPEM: try pki.authority.certificatePEM, bearerToken: token)
    }
}
