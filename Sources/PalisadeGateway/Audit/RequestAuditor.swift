import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PalisadeAPI
import PalisadeAudit
import PalisadeAuth

/// The gateway's side of auditing: the policy that decides each request's level, and the
/// log every event goes to. There is no "audit off": a policy whose rules say `None` is how
/// a request is left out, as in Kubernetes.
public struct RequestAuditor: Sendable {
    public let policy: AuditPolicy
    public let log: AuditLog

    public init(policy: AuditPolicy, log: AuditLog) {
        self.policy = policy
        self.log = log
    }

    /// Starts the record of one request, before anything about it is known but the connection.
    func begin(_ request: Request, context: GatewayRequestContext) -> RequestAudit {
        RequestAudit(
            auditor: self, auditID: UUID().uuidString.lowercased(), received: Date(),
            requestURI: request.uri.description, method: request.method.rawValue,
            sourceIP: context.channel.remoteAddress?.ipAddress ?? "",
            userAgent: request.headers[.userAgent].map { String($0.prefix(1024)) },
            clientAuditID: request.headers[HTTPField.Name("Audit-ID")!].map { String($0.prefix(128)) }
        )
    }
}

extension RequestAuditor {
    /// Opens the log at `log.path` with the keys kept in `keysDirectory` (made on first use).
    public static func open(policy: AuditPolicy, log: AuditLogConfiguration, keysDirectory: String, logger: Logger) throws(AuditError) -> RequestAuditor {
        let keys = try AuditKeys.loadOrCreate(directory: keysDirectory)
        return RequestAuditor(policy: policy, log: try AuditLog(configuration: log, keys: keys, logger: logger))
    }
}
