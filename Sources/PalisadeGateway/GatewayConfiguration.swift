import Foundation
import PalisadeAuth

/// Settings of the API gateway. The defaults are the secure ones; there is no switch
/// that turns off client certificates or TLS.
public struct GatewayConfiguration: Sendable {
    /// Request bodies larger than this are answered with 413.
    public static let maximumRequestBodyBytes = 3 * 1024 * 1024

    public var host: String
    public var port: Int
    /// PEM files of the serving certificate and key, and of the CA clients must chain to.
    public var certificatePath: String
    public var privateKeyPath: String
    public var clientCAPath: String
    /// The server's client certificate and key for calling node agents (`pods/log`); by
    /// default `kubelet-client.crt` and `.key` beside the CA (``ClusterPKI`` makes them).
    public var nodeClientCertificatePath: String
    public var nodeClientKeyPath: String
    /// Interval of BOOKMARK events on watches that allow them.
    public var bookmarkInterval: Duration = .seconds(60)
    /// A watch without `timeoutSeconds` ends after this long; clients then watch again.
    public var defaultWatchTimeout: Duration = .seconds(1800)

    public init(host: String = "127.0.0.1", port: Int = 6443, certificatePath: String, privateKeyPath: String, clientCAPath: String) {
        self.host = host
        self.port = port
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
        let directory = (clientCAPath as NSString).deletingLastPathComponent
        nodeClientCertificatePath = directory + "/" + ClusterPKI.kubeletClientCertificateFile
        nodeClientKeyPath = directory + "/" + ClusterPKI.kubeletClientKeyFile
    }
}
