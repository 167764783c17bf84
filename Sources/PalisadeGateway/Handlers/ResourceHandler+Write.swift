import Foundation
import Hummingbird
import PalisadeAPI
import PalisadeAudit

extension ResourceHandler {
    func create(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        let object = try ContentNegotiation.decodeBody(try await body(of: request), contentType: request.headers[.contentType])
        AuditContext.current?.createdName = object.name
        let result = try await registry.create(target.definition, namespace: target.namespace, body: object, options: try writeOptions(query, target))
        AuditContext.current?.createdName = result.object.name
        return try render(result.object, target, request, query, status: .created, warnings: result.warnings)
    }

    func update(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        let object = try ContentNegotiation.decodeBody(try await body(of: request), contentType: request.headers[.contentType])
        let result = try await registry.update(
            target.definition, namespace: target.namespace, name: target.name, body: object, subresource: target.subresource,
            options: try writeOptions(query, target)
        )
        return try render(result.object, target, request, query, warnings: result.warnings)
    }

    func patch(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        let transform = try patchTransform(request, schema: target.definition.schema, body: try await body(of: request))
        let result = try await registry.patch(
            target.definition, namespace: target.namespace, name: target.name, subresource: target.subresource,
            options: try writeOptions(query, target), transform: transform
        )
        return try render(result.object, target, request, query, warnings: result.warnings)
    }

    /// The function a PATCH applies to the stored object, by its Content-Type.
    func patchTransform(_ request: Request, schema: ObjectSchema?, body: [UInt8]) throws(APIError) -> @Sendable (JSONValue) throws(APIError) -> JSONValue {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        switch mediaType {
        case "application/json-patch+json":
            let patch = try ContentNegotiation.parseJSON(body)
            return { object throws(APIError) in try JSONPatch.apply(patch, to: object) }
        case "application/merge-patch+json":
            let patch = try Self.patchObject(body)
            return { object in JSONMergePatch.apply(patch, to: object) }
        case "application/strategic-merge-patch+json":
            let patch = try Self.patchObject(body)
            return { object throws(APIError) in try StrategicMergePatch.apply(patch, to: object, schema: schema) }
        case "application/apply-patch+yaml", "application/apply-patch+cbor":
            throw APIError(
                code: 415, reason: "UnsupportedMediaType",
                message: "server-side apply is not supported by this server yet; use client-side apply (kubectl apply without --server-side)"
            )
        default:
            throw .unsupportedMediaType(mediaType, supported: [
                "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
            ])
        }
    }

    private static func patchObject(_ body: [UInt8]) throws(APIError) -> JSONValue {
        let patch = try ContentNegotiation.parseJSON(body)
        guard patch.objectValue != nil else { throw .badRequest("the patch must be a JSON object") }
        return patch
    }

    func delete(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        let options = try await deleteOptions(request, query)
        let result = try await registry.delete(target.definition, namespace: target.namespace, name: target.name, options: options)
        // Kubernetes answers a finished deletion with a Status, except for the kinds whose
        // clients expect the object (pods, services, ...); a pending one with the object.
        guard result.isRemoved, !target.definition.returnsDeletedObject else { return try render(result.object, target, request, query) }
        let definition = target.definition
        return APIResponse.json(StatusBody.success(name: target.name, group: definition.group, kind: definition.plural, uid: result.object.uid))
    }

    func deleteCollection(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        let deleted = try await registry.deleteCollection(
            target.definition, namespace: target.namespace, listOptions: try listOptions(query, target.definition), options: try await deleteOptions(request, query)
        )
        let revision = deleted.compactMap { $0.resourceVersion.flatMap(Int64.init) }.max() ?? 0
        return APIResponse.json(Self.listObject(target.definition, deleted, resourceVersion: String(revision)))
    }

    /// DeleteOptions from the body, with the query parameters kubectl may use instead.
    private func deleteOptions(_ request: Request, _ query: QueryParameters) async throws(APIError) -> DeleteOptions {
        let bytes = try await body(of: request)
        var options = try DeleteOptions(body: bytes.isEmpty ? nil : try ContentNegotiation.decodeBody(bytes, contentType: request.headers[.contentType]))
        if let grace = query["gracePeriodSeconds"], let value = Int64(grace) { options.gracePeriodSeconds = value }
        if let policy = query["propagationPolicy"] {
            guard let value = DeleteOptions.Propagation(rawValue: policy) else {
                throw .badRequest("propagationPolicy must be one of Orphan, Background, Foreground")
            }
            options.propagation = value
        }
        if query["dryRun"] == "All" { options.dryRun = true }
        return options
    }
}
