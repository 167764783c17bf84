import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import PalisadeAuth

/// The gateway's TLS: BoringSSL verifies the client's chain against the cluster CA (and its
/// validity dates), then the verified leaf's serial is checked against ``Revocations`` before
/// the handshake completes, and the connection is remembered so a later revocation can
/// close it. (It uses NIOSSL's underscored hook for an extra check after verification; the
/// documented custom-verification callback would replace the chain check altogether.)
struct RevocationCheckingTLSChannel<BaseChannel: ServerChildChannel>: ServerChildChannel {
    typealias Value = BaseChannel.Value

    let base: BaseChannel
    let context: NIOSSLContext
    let revocations: Revocations

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let revocations = self.revocations
        return channel.eventLoop.makeCompletedFuture {
            let handler = NIOSSLServerHandler._makeSSLServerHandler(context: context) { certificate, channel in
                revocations.admit(channel, serial: CertificateSerial.text(certificate.serialNumber))
                    ? channel.eventLoop.makeSucceededVoidFuture()
                    : channel.eventLoop.makeFailedFuture(RevokedCertificate())
            }
            try channel.pipeline.syncOperations.addHandler(handler)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension RevocationCheckingTLSChannel: HTTPChannelHandler where BaseChannel: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}

/// The reason a handshake with a revoked certificate fails (it reaches the audit log).
struct RevokedCertificate: Error, CustomStringConvertible {
    var description: String { "the client certificate is revoked" }
}
