import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PalisadeAPI

/// Builders for the responses the gateway sends.
enum APIResponse {
    static let jsonContentType = "application/json"

    /// A JSON body, with `Warning` headers for anything the client should know.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = jsonContentType, warnings: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        for warning in warnings {
            let escaped = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            headers.append(HTTPField(name: HTTPField.Name("Warning")!, value: "299 - \"\(escaped)\""))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONSerializer.bytes(value))))
    }

    /// The one way an ``APIError`` becomes a response: a `metav1.Status`.
    static func error(_ error: APIError) -> Response {
        var response = json(StatusBody.failure(error), status: .init(code: error.code))
        if let retry = error.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
        return response
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
