import NIOCore
import NIOSSL
import PalisadeAPI
import PalisadeAuth

/// Stage 1: who is calling. Reads the client certificate the TLS handshake verified against
/// the cluster CA and maps it to a user (CN → name, O → groups). There is no anonymous user:
/// a request without a usable certificate gets 401 (the handshake already refuses most).
/// The certificate of a connection cannot change, so its user is worked out once per connection.
struct AuthenticationStage: Sendable {
    let authenticator: ClientCertificateAuthenticator
    let connections = ConnectionIdentities()

    func authenticate(_ context: GatewayRequestContext) async throws(APIError) -> UserInfo {
        if let known = connections.user(of: context.channel) { return known }
        let user = try await authenticateCertificate(context)
        connections.remember(user, for: context.channel)
        return user
    }

    /// Reads the verified peer certificate of the connection (a hop to its event loop).
    private func authenticateCertificate(_ context: GatewayRequestContext) async throws(APIError) -> UserInfo {
        let certificate: NIOSSLCertificate?
        do {
            certificate = try await context.channel.nioSSL_peerCertificate().get()
        } catch {
            throw .unauthorized
        }
        guard let der = try? certificate?.toDERBytes(), let user = authenticator.user(fromDER: der) else {
            throw .unauthorized
        }
        return user
    }
}
