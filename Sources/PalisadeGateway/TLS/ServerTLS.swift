import NIOCore
import NIOSSL

/// The listeners' TLS, TLS 1.2 at least. On the gateway a client certificate that chains to
/// the cluster CA is required in the handshake; the CA is the only trust root, never the
/// system store.
enum ServerTLS {
    static func configuration(_ settings: GatewayConfiguration) throws -> TLSConfiguration {
        let (chain, key) = try servingIdentity(settings)
        let authorities = try NIOSSLCertificate.fromPEMFile(settings.clientCAPath)
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(certificateChain: chain, privateKey: key, trustRoots: .certificates(authorities))
        tls.certificateVerification = .noHostnameVerification
        return hardened(tls)
    }

    /// The bootstrap listener's: the same serving certificate, and no client certificate
    /// asked for (its clients have none yet; each request carries a bootstrap token instead).
    static func serverOnly(_ settings: GatewayConfiguration) throws -> TLSConfiguration {
        let (chain, key) = try servingIdentity(settings)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        tls.certificateVerification = .none
        return hardened(tls)
    }

    private static func servingIdentity(_ settings: GatewayConfiguration) throws -> ([NIOSSLCertificateSource], NIOSSLPrivateKeySource) {
        let chain = try NIOSSLCertificate.fromPEMFile(settings.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        return (chain, .privateKey(try NIOSSLPrivateKey(file: settings.privateKeyPath, format: .pem)))
    }

    private static func hardened(_ configuration: TLSConfiguration) -> TLSConfiguration {
        var tls = configuration
        tls.minimumTLSVersion = .tlsv12
        // A connection being closed (a revoked certificate's, say) waits this long for the
        // peer's close_notify before the socket goes.
        tls.shutdownTimeout = .seconds(2)
        return tls
    }
}
