import Foundation
import NIOCore
import NIOSSL
import PalisadeAPI
import PalisadeAudit

/// Records connections refused at the TLS handshake (no client certificate, one that does
/// not chain to the cluster CA, not TLS at all) in the audit log: there is no user and no
/// request, only the peer address and the reason. It sits behind the TLS handler and only
/// watches the errors passing by.
final class HandshakeAuditHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Never
    static let refusalAnnotation = "audit.palisade.dev/tls-refusal"

    private let log: AuditLog
    private var recorded = false

    init(log: AuditLog) {
        self.log = log
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !recorded, let reason = Self.refusal(error) {
            recorded = true
            let event = Self.event(peer: context.channel.remoteAddress?.ipAddress ?? "", reason: reason)
            Task { [log] in try? await log.record(event, durable: false) }
        }
        context.fireErrorCaught(error)
    }

    /// The handshake failures worth an event; a client that hangs up cleanly is not one.
    static func refusal(_ error: any Error) -> String? {
        switch error {
        case NIOSSLError.handshakeFailed(let underlying): return "TLS handshake failed: \(underlying)"
        case let error as BoringSSLError: return "TLS handshake failed: \(error)"
        case let revoked as RevokedCertificate: return "TLS handshake refused: \(revoked)"
        default: return nil
        }
    }

    static func event(peer: String, reason: String) -> AuditEvent {
        let now = Date()
        var event = AuditEvent(
            level: .metadata, auditID: UUID().uuidString.lowercased(), stage: .responseComplete, requestURI: "", verb: "",
            user: .init(username: "", groups: []), sourceIPs: peer.isEmpty ? [] : [peer], requestReceivedTimestamp: now
        )
        event.responseStatus = ["metadata": .emptyObject, "status": "Failure", "reason": "Unauthorized", "code": 401, "message": .string(reason)]
        event.annotations[refusalAnnotation] = reason
        return event
    }
}
