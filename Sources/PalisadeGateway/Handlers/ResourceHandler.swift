import Foundation
import Hummingbird
import NIOCore
import PalisadeAPI
import PalisadeAuth

/// Serves `/api/v1/…` and `/apis/<group>/<version>/…` resource requests: finds the resource,
/// reads query options and bodies, calls the registry, and renders the answer (JSON or Table).
struct ResourceHandler: Sendable {
    let registry: ObjectRegistry
    let reviews: ReviewHandler
    let configuration: GatewayConfiguration
    /// Node agents, called for `pods/log`.
    let nodes: NodeConnections

    init(registry: ObjectRegistry, reviews: ReviewHandler, configuration: GatewayConfiguration) {
        self.registry = registry
        self.reviews = reviews
        self.configuration = configuration
        nodes = NodeConnections(clientCertificatePath: configuration.nodeClientCertificatePath, clientKeyPath: configuration.nodeClientKeyPath)
    }

    /// The request's resource, namespace and subresource, checked against what is served.
    struct Target {
        let definition: ResourceDefinition
        /// The namespace for the registry: nil for cluster-scoped kinds and for lists across namespaces.
        let namespace: String?
        let name: String
        let subresource: Subresource?
        /// Who asks; admission checks (RBAC escalation) judge writes by it.
        let user: UserInfo?
        /// The only names a list or watch may show, when the caller may not see them all.
        var visibleNames: Set<String>? = nil
    }

    func handle(_ request: Request, context: GatewayRequestContext, info: RequestInfo) async throws(APIError) -> Response {
        var target = try resolve(info, user: context.user)
        target.visibleNames = context.visibleNamespaces
        let query = QueryParameters(request.uri.query)
        if let subresource = target.subresource {
            return try await handleSubresource(subresource, target, request, query, info)
        }
        let needsName = ["get", "update", "patch", "delete"].contains(info.verb)
        guard target.definition.verbs.contains(info.verb), needsName != target.name.isEmpty || ReviewHandler.handles(target.definition) else {
            throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
        if ReviewHandler.handles(target.definition) {
            return try await reviews.create(
                target.definition, namespace: target.namespace, body: try await body(of: request),
                contentType: request.headers[.contentType], context: context
            )
        }
        switch info.verb {
        case "get": return try await get(target, request, query)
        case "list": return try await list(target, request, query)
        case "watch": return try await watch(target, request, query)
        case "create": return try await create(target, request, query)
        case "update": return try await update(target, request, query)
        case "patch": return try await patch(target, request, query)
        case "delete": return try await delete(target, request, query)
        case "deletecollection": return try await deleteCollection(target, request, query)
        default: throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    private func resolve(_ info: RequestInfo, user: UserInfo?) throws(APIError) -> Target {
        guard let definition = ServedResources.lookup(group: info.apiGroup, version: info.apiVersion, resource: info.resource) else {
            throw .pathNotFound
        }
        let isNamespaceObject = definition.group.isEmpty && definition.plural == "namespaces"
        if !definition.namespaced && !info.namespace.isEmpty && !isNamespaceObject { throw .pathNotFound }
        var subresource: Subresource?
        if !info.subresource.isEmpty {
            guard let known = Subresource(rawValue: info.subresource), definition.subresources.contains(known) else { throw .pathNotFound }
            subresource = known
        }
        let namespace = definition.namespaced && !info.namespace.isEmpty ? info.namespace : nil
        if definition.namespaced && namespace == nil && !["list", "watch"].contains(info.verb) {
            throw .pathNotFound
        }
        return Target(definition: definition, namespace: namespace, name: info.name, subresource: subresource, user: user)
    }

    // MARK: Shared pieces

    /// The whole request body, refusing more than the limit with 413.
    func body(of request: Request) async throws(APIError) -> [UInt8] {
        let limit = GatewayConfiguration.maximumRequestBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw .requestEntityTooLarge(limit: limit) }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .requestEntityTooLarge(limit: limit)
        } catch {
            throw .badRequest("the request body could not be read")
        }
    }

    func writeOptions(_ query: QueryParameters, _ target: Target) throws(APIError) -> WriteOptions {
        var options = WriteOptions()
        options.user = target.user
        for value in query.all("dryRun") {
            guard value == "All" else { throw .badRequest("dryRun: Unsupported value: \"\(value)\": supported values: \"All\"") }
            options.dryRun = true
        }
        if let value = query["fieldValidation"], !value.isEmpty {
            guard let validation = FieldValidation(rawValue: value) else {
                throw .badRequest("fieldValidation: Unsupported value: \"\(value)\": supported values: \"Ignore\", \"Warn\", \"Strict\"")
            }
            options.fieldValidation = validation
        }
        return options
    }

    func listOptions(_ query: QueryParameters, _ definition: ResourceDefinition) throws(APIError) -> ListOptions {
        var options = ListOptions()
        if let selector = query["labelSelector"] { options.labelSelector = try LabelSelector.parse(selector) }
        if let selector = query["fieldSelector"] {
            options.fieldSelector = try FieldSelector.parse(selector)
            for requirement in options.fieldSelector.requirements where !definition.isSelectable(requirement.field) {
                throw .badRequest("field label not supported: \(requirement.field)")
            }
        }
        if let limit = query["limit"], !limit.isEmpty {
            guard let value = Int(limit), value >= 0 else { throw .badRequest("limit must be a non-negative integer") }
            options.limit = value == 0 ? nil : value
        }
        options.continueToken = query["continue"]
        options.resourceVersion = query["resourceVersion"]
        return options
    }

    /// An object, or a one-row Table when the client asked for tables.
    func render(_ object: JSONValue, _ target: Target, _ request: Request, _ query: QueryParameters,
                status: HTTPResponse.Status = .ok, warnings: [String] = []) throws(APIError) -> Response {
        switch try ContentNegotiation.responseFormat(accept: request.headers[.accept]) {
        case .json:
            return APIResponse.json(object, status: status, warnings: warnings)
        case .table(let version):
            let converter = TableConverter(definition: target.definition, version: version, includeObject: query["includeObject"])
            return APIResponse.json(converter.table([object], resourceVersion: object.resourceVersion), status: status, warnings: warnings)
        }
    }
}
