import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PalisadeAPI
import PalisadeAudit
import PalisadeAuth

/// The audit record of one request as it passes the pipeline: who asked (once known), the
/// policy's decision for it, the annotations the stages add, and the captured bodies. It
/// writes the request's events: RequestReceived before the handler, ResponseStarted for
/// streams, ResponseComplete at the end, each only when the policy records that stage.
struct RequestAudit: Sendable {
    static let auditIDHeader = HTTPField.Name("Audit-ID")!
    static let clientAuditIDAnnotation = "audit.palisade.dev/client-audit-id"
    static let decisionAnnotation = "authorization.k8s.io/decision"
    static let reasonAnnotation = "authorization.k8s.io/reason"

    let auditor: RequestAuditor
    let auditID: String
    let received: Date
    let requestURI: String
    let method: String
    let sourceIP: String
    let userAgent: String?
    let clientAuditID: String?
    /// What the stages report: annotations, the name of a created object.
    let context = AuditContext()

    var caller: UserInfo?
    var impersonated: UserInfo?
    var info: RequestInfo?
    var decision = AuditPolicy.Decision(level: .metadata, omitStages: [])
    var requestObject: JSONValue?

    /// The level decides what is recorded; before the request is understood, everything is
    /// recorded at Metadata (a refused or malformed request is never left out).
    mutating func resolved(caller: UserInfo, user: UserInfo) {
        guard let info else { return }
        self.caller = caller
        impersonated = user == caller ? nil : user
        decision = auditor.policy.decide(AuthorizationStage.attributes(info, user: caller))
    }

    func authorized(reason: String) {
        context.add([Self.decisionAnnotation: "allow", Self.reasonAnnotation: reason])
    }

    /// A mutating request's final event must be on disk before the client hears back.
    private var durable: Bool { !["GET", "HEAD"].contains(method) }

    func requestReceived() async throws(APIError) {
        try await record(.requestReceived, status: nil, response: nil, durable: false)
    }

    /// Records the end of a request and returns what the client gets: `response`, or a 503
    /// when its event could not be written. A stream's end is recorded when the body ends.
    func complete(_ response: Response, error: APIError? = nil) async -> Response {
        var response = response
        response.headers[Self.auditIDHeader] = auditID
        if response.body.contentLength == nil && error == nil {
            return await streamed(response)
        }
        var responseObject: JSONValue?
        if decision.level >= .requestResponse && info?.isResourceRequest == true {
            (response, responseObject) = await AuditBodies.collect(response)
        }
        let status = Self.status(of: response, error: error)
        do {
            try await record(.responseComplete, status: status, response: responseObject, durable: durable)
            return response
        } catch {
            return Self.unavailable(auditID: auditID)
        }
    }

    /// ResponseStarted now, ResponseComplete once the stream has been written to the end.
    private func streamed(_ response: Response) async -> Response {
        let status = Self.status(of: response, error: nil)
        do {
            try await record(.responseStarted, status: status, response: nil, durable: false)
        } catch {
            return Self.unavailable(auditID: auditID)
        }
        var response = response
        let body = response.body
        let audit = self
        response.body = ResponseBody { writer in
            do {
                try await body.write(writer)
            } catch {
                try? await audit.record(.responseComplete, status: status, response: nil, durable: false)
                throw error
            }
            try? await audit.record(.responseComplete, status: status, response: nil, durable: false)
        }
        return response
    }

    func record(_ stage: AuditStage, status: JSONValue?, response: JSONValue?, durable: Bool) async throws(APIError) {
        guard decision.records(stage) else { return }
        var event = AuditEvent(
            level: decision.level, auditID: auditID, stage: stage, requestURI: requestURI,
            verb: info?.verb ?? method.lowercased(), user: Self.user(caller), sourceIPs: sourceIP.isEmpty ? [] : [sourceIP],
            requestReceivedTimestamp: received
        )
        event.stageTimestamp = Date()
        event.impersonatedUser = impersonated.map { Self.user($0) }
        event.userAgent = userAgent
        event.objectRef = objectReference
        event.responseStatus = status
        event.annotations = context.annotations
        if let clientAuditID { event.annotations[Self.clientAuditIDAnnotation] = clientAuditID }
        if status?["code"]?.intValue == 403 && event.annotations[Self.decisionAnnotation] == nil {
            event.annotations[Self.decisionAnnotation] = "forbid"
            event.annotations[Self.reasonAnnotation] = status?["message"]?.stringValue ?? ""
        }
        let resource = info?.resource ?? ""
        event.requestObject = requestObject.map { AuditRedaction.redact($0, resource: resource) }
        event.responseObject = response.map { AuditRedaction.redact($0, resource: resource) }
        do {
            try await auditor.log.record(event, durable: durable)
        } catch {
            throw .serviceUnavailable("the audit log cannot be written; the request was not served")
        }
    }

    private var objectReference: AuditEvent.ObjectReference? {
        guard let info, info.isResourceRequest else { return nil }
        let name = info.name.isEmpty && info.verb == "create" ? context.createdName ?? "" : info.name
        return AuditEvent.ObjectReference(
            resource: info.resource, namespace: info.namespace, name: name, apiGroup: info.apiGroup,
            apiVersion: info.apiVersion, subresource: info.subresource
        )
    }

    private static func user(_ user: UserInfo?) -> AuditEvent.User {
        AuditEvent.User(username: user?.name ?? "", groups: user?.groups ?? [])
    }

    /// Kubernetes' responseStatus: the Status without kind and apiVersion on failure, only
    /// the code on success.
    static func status(of response: Response, error: APIError?) -> JSONValue {
        if let error, case .object(var status) = StatusBody.failure(error) {
            status["kind"] = nil
            status["apiVersion"] = nil
            return .object(status)
        }
        let code = Int64(response.status.code)
        var status: JSONValue = ["metadata": .emptyObject, "code": .int(code)]
        if code >= 400 { status["status"] = "Failure" }
        return status
    }

    static func unavailable(auditID: String) -> Response {
        var response = APIResponse.error(.serviceUnavailable("the audit log cannot be written; the request was not served"))
        response.headers[auditIDHeader] = auditID
        return response
    }
}
