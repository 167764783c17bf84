import NIOCore
import NIOSSL

/// The gateway's TLS: TLS 1.2 at least, and a client certificate that chains to the
/// cluster CA is required in the handshake. The CA is the only trust root, never the system store.
enum ServerTLS {
    static func configuration(_ settings: GatewayConfiguration) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(settings.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: settings.privateKeyPath, format: .pem)
        let authorities = try NIOSSLCertificate.fromPEMFile(settings.clientCAPath)
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: chain, privateKey: .privateKey(key), trustRoots: .certificates(authorities)
        )
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .noHostnameVerification
        // A connection being closed (a revoked certificate's, say) waits this long for the
        // peer's close_notify before the socket goes.
        tls.shutdownTimeout = .seconds(2)
        return tls
    }
}
