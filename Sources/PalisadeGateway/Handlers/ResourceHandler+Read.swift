import Foundation
import Hummingbird
import PalisadeAPI

extension ResourceHandler {
    func get(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        let object = try await registry.get(target.definition, namespace: target.namespace, name: target.name)
        return try render(object, target, request, query)
    }

    func list(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        var options = try listOptions(query, target.definition)
        options.visibleNames = target.visibleNames
        let format = try ContentNegotiation.responseFormat(accept: request.headers[.accept])
        let page = try await registry.list(target.definition, namespace: target.namespace, options: options)
        switch format {
        case .json:
            return APIResponse.json(Self.listObject(target.definition, page.items, resourceVersion: page.resourceVersion, continueToken: page.continueToken))
        case .table(let version):
            let converter = TableConverter(definition: target.definition, version: version, includeObject: query["includeObject"])
            return APIResponse.json(converter.table(page.items, resourceVersion: page.resourceVersion, continueToken: page.continueToken))
        }
    }

    /// `<Kind>List` with `items` always present (an empty list is `[]`, never null).
    static func listObject(_ definition: ResourceDefinition, _ items: [JSONValue], resourceVersion: String, continueToken: String? = nil) -> JSONValue {
        var metadata: [String: JSONValue] = ["resourceVersion": .string(resourceVersion)]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        return [
            "kind": .string("\(definition.kind)List"), "apiVersion": .string(definition.groupVersion),
            "metadata": .object(metadata), "items": .array(items),
        ]
    }

    func watch(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        var options = try listOptions(query, target.definition)
        options.visibleNames = target.visibleNames
        let format = try ContentNegotiation.responseFormat(accept: request.headers[.accept])
        var timeout = configuration.defaultWatchTimeout
        if let seconds = query["timeoutSeconds"], !seconds.isEmpty {
            guard let value = Int(seconds), value >= 0 else { throw .badRequest("timeoutSeconds must be a non-negative integer") }
            if value > 0 { timeout = .seconds(value) }
        }
        let events = try await registry.watch(target.definition, namespace: target.namespace, options: options)
        let streamer = WatchStreamer(
            definition: target.definition, format: format, includeObject: query["includeObject"],
            bookmarkInterval: query.flag("allowWatchBookmarks") ? configuration.bookmarkInterval : nil,
            timeout: timeout
        )
        var headers = HTTPFields()
        headers[.contentType] = APIResponse.jsonContentType
        headers[.cacheControl] = "no-cache, private"
        return Response(status: .ok, headers: headers, body: streamer.body(events))
    }
}
