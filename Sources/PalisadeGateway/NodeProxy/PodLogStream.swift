import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import PalisadeAPI

/// A container's log read from its node's agent and passed through as it comes (so
/// `kubectl logs -f` follows), with the options kubectl sends.
enum PodLogStream {
    /// The `pods/log` query parameters the agent understands.
    private static let forwarded = ["follow", "previous", "tailLines", "limitBytes", "sinceSeconds", "timestamps"]

    static func open(
        _ connection: (url: String, client: HTTPClient), namespace: String, pod: String, container: String, query: QueryParameters
    ) async throws(APIError) -> Response {
        var components = URLComponents()
        components.queryItems = forwarded.compactMap { name in query[name].map { URLQueryItem(name: name, value: $0) } }
        let path = [namespace, pod, container].map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0 }.joined(separator: "/")
        let request = HTTPClientRequest(url: "\(connection.url)/containerLogs/\(path)\(components.percentEncodedQuery.map { "?\($0)" } ?? "")")
        let response: HTTPClientResponse
        do {
            response = try await connection.client.execute(request, timeout: .hours(4))
        } catch {
            throw .serviceUnavailable("the node agent of pod \(pod) cannot be reached: \(error)")
        }
        guard response.status == .ok else {
            // The agent's errors are Hummingbird's `{"error": {"message": ...}}`.
            let body = (try? await response.body.collect(upTo: 64 * 1024)).flatMap { try? JSONParser.parse(Array(buffer: $0)) }
            let message = body?[path: ["error", "message"]]?.stringValue ?? "the node agent answered \(response.status.code)"
            throw response.status == .notFound ? .badRequest(message) : response.status == .badRequest ? .badRequest(message) : .serviceUnavailable(message)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody { writer in
            for try await chunk in response.body { try await writer.write(chunk) }
            try await writer.finish(nil)
        })
    }
}
