import Foundation
import Hummingbird
import Logging
import PalisadeAPI
import PalisadeAuth

/// Every request, in this order and no other:
///
/// 1. authentication (client certificate → user; 401 without one)
/// 2. impersonation (`Impersonate-*` headers, each authorized with the `impersonate` verb)
/// 3. request info (verb, group, version, resource, namespace, name)
/// 4. authorization (403 unless allowed)
/// 5. the handler: discovery, OpenAPI, health, encryption administration, or a resource
///    (decode, default, validate, admit, store)
///
/// Errors become `metav1.Status` responses here and nowhere else; an unexpected error is
/// logged with the request ID and answered with a generic 500 that reveals nothing.
struct Pipeline: HTTPResponder {
    typealias Context = GatewayRequestContext

    let authentication: AuthenticationStage
    let impersonation: ImpersonationStage
    let authorization: AuthorizationStage
    let resources: ResourceHandler
    let discovery: DiscoveryHandler
    let openAPI: OpenAPIHandler
    let health: HealthHandler
    let encryption: EncryptionHandler

    func respond(to request: Request, context: GatewayRequestContext) async throws -> Response {
        var context = context
        do {
            let caller = try await authentication.authenticate(context)
            let user = try await impersonation.effectiveUser(caller, headers: request.headers)
            context.user = user
            let info = RequestInfoResolver.resolve(
                method: request.method.rawValue, path: request.uri.path, query: QueryParameters(request.uri.query)
            )
            context.requestInfo = info
            try await authorization.authorize(info, user: user)
            return try await route(request, context: context, info: info)
        } catch let error as APIError {
            return APIResponse.error(error)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(type(of: error))"])
            return APIResponse.error(.internalError(requestID: context.requestID))
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
        throw APIError.pathNotFound
    }
}
