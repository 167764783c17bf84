import Foundation
import Hummingbird
import Logging
import PalisadeAPI
import PalisadeAudit
import PalisadeAuth

/// Every request, in this order and no other:
///
/// 1. audit: the record of the request begins (a failing audit log refuses it with 503)
/// 2. request info (verb, group, version, resource, namespace, name)
/// 3. authentication (client certificate → user, or a bootstrap token on the bootstrap
///    listener; 401 without one); the `Authorization` header is removed once used, and the
///    listener's ``ListenerScope`` refuses (404) what it does not serve
/// 4. impersonation (`Impersonate-*` headers, each authorized with the `impersonate` verb)
///    → the audit level; RequestReceived is written
/// 5. authorization (403 unless allowed)
/// 6. the handler: discovery, OpenAPI, health, encryption and audit administration, or a
///    resource (decode, default, validate, admit, store)
/// 7. audit: ResponseComplete is written (on disk, for writes) before the client hears back;
///    a stream records ResponseStarted, and ResponseComplete when it ends
///
/// Errors become `metav1.Status` responses here and nowhere else; an unexpected error is
/// logged with the request ID and answered with a generic 500 that reveals nothing.
struct Pipeline: HTTPResponder {
    typealias Context = GatewayRequestContext

    let auditor: RequestAuditor
    var authentication: any RequestAuthentication
    let impersonation: ImpersonationStage
    let authorization: AuthorizationStage
    let namespaceVisibility: NamespaceVisibility
    let resources: ResourceHandler
    let discovery: DiscoveryHandler
    let openAPI: OpenAPIHandler
    let health: HealthHandler
    let encryption: EncryptionHandler
    let auditQueries: AuditQueryHandler
    let certificates: CertificateAdminHandler
    var scope = ListenerScope.everything

    /// The same stages and handlers behind another authentication, serving only `scope`
    /// (the bootstrap listener).
    func serving(_ scope: ListenerScope, authentication: any RequestAuthentication) -> Pipeline {
        var pipeline = self
        pipeline.scope = scope
        pipeline.authentication = authentication
        return pipeline
    }

    func respond(to request: Request, context: GatewayRequestContext) async throws -> Response {
        var audit = auditor.begin(request, context: context)
        if auditor.log.failure != nil { return RequestAudit.unavailable(auditID: audit.auditID) }
        do {
            let response = try await serve(request, context: context, audit: &audit)
            return await audit.complete(response)
        } catch let error as APIError {
            return await audit.complete(APIResponse.error(error), error: error)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(type(of: error))", "auditID": "\(audit.auditID)"])
            let failure = APIError.internalError(requestID: context.requestID)
            return await audit.complete(APIResponse.error(failure), error: failure)
        }
    }

    private func serve(_ request: Request, context: GatewayRequestContext, audit: inout RequestAudit) async throws -> Response {
        var context = context
        var request = request
        let info = RequestInfoResolver.resolve(
            method: request.method.rawValue, path: request.uri.path, query: QueryParameters(request.uri.query)
        )
        context.requestInfo = info
        audit.info = info
        let caller = try await authentication.authenticate(request, context: context)
        audit.caller = caller
        // A credential is for authentication only: nothing after this stage sees it.
        if request.headers[.authorization] != nil {
            var head = request.head
            head.headerFields[.authorization] = nil
            request = Request(head: head, body: request.body)
        }
        try scope.check(info)
        let user = try await impersonation.effectiveUser(caller, headers: request.headers)
        context.user = user
        audit.resolved(caller: caller, user: user)
        try await audit.requestReceived()
        audit.authorized(reason: try await authorize(info, user: user, context: &context))
        if audit.decision.level >= .request && info.isResourceRequest {
            audit.requestObject = try await AuditBodies.capture(&request)
        }
        return try await AuditContext.$current.withValue(audit.context) {
            try await route(request, context: context, info: info)
        }
    }

    /// Stage 5, with one exception to a refusal: a list or watch of namespaces is narrowed
    /// to those the user may see.
    private func authorize(_ info: RequestInfo, user: UserInfo, context: inout GatewayRequestContext) async throws(APIError) -> String {
        do {
            return try await authorization.authorize(info, user: user)
        } catch {
            guard NamespaceVisibility.applies(to: info) else { throw error }
            let visible = await namespaceVisibility.visibleNamespaces(for: user)
            if visible?.isEmpty == true { throw error }
            context.visibleNamespaces = visible
            return NamespaceVisibility.reason
        }
    }

    private func route(_ request: Request, context: GatewayRequestContext, info: RequestInfo) async throws -> Response {
        if info.isResourceRequest { return try await resources.handle(request, context: context, info: info) }
        let path = request.uri.path
        if request.method == .get || request.method == .head {
            if let response = discovery.respond(path: path, accept: request.headers[.accept]) { return response }
            if let response = openAPI.respond(path: path) { return response }
            if let response = await health.respond(path: path) { return response }
        }
        if let response = try await encryption.respond(method: request.method, path: path) { return response }
        if let response = try await auditQueries.respond(request, path: path) { return response }
        if let response = try await certificates.respond(request, path: path, user: context.user, body: { () throws(APIError) in try await resources.body(of: request) }) {
            return response
        }
        throw APIError.pathNotFound
    }
}
