import HTTPTypes
import Hummingbird
import NIOCore
import PalisadeAPI

/// The bodies an audit event may carry, taken without disturbing the request: the request
/// body is read once and handed on to the handler as a buffer; the response body is
/// collected and sent as collected.
enum AuditBodies {
    /// Reads the request body (within the gateway's limit) and puts it back for the handler;
    /// nil when there is none or it cannot be read as an object.
    static func capture(_ request: inout Request) async throws(APIError) -> JSONValue? {
        let limit = GatewayConfiguration.maximumRequestBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return nil }
        let bytes: [UInt8]
        do {
            let buffer = try await request.body.collect(upTo: limit)
            bytes = Array(buffer.readableBytesView)
            request.body = RequestBody(buffer: buffer)
        } catch is NIOTooManyBytesError {
            throw .requestEntityTooLarge(limit: limit)
        } catch {
            throw .badRequest("the request body could not be read")
        }
        guard !bytes.isEmpty else { return nil }
        if let object = try? ContentNegotiation.decodeBody(bytes, contentType: request.headers[.contentType]) { return object }
        return try? JSONParser.parse(bytes)
    }

    /// The response with its body collected, and that body as JSON when it is JSON.
    static func collect(_ response: Response) async -> (Response, JSONValue?) {
        let collected = Collected()
        do {
            try await response.body.write(Collector(into: collected))
        } catch {
            return (response, nil)
        }
        var complete = response
        complete.body = ResponseBody(byteBuffer: collected.buffer)
        return (complete, try? JSONParser.parse(collected.buffer.readableBytesView))
    }

    /// What a collector gathered; a class, because the body consumes the writer it is given.
    private final class Collected {
        var buffer = ByteBuffer()
    }

    private struct Collector: ResponseBodyWriter {
        let into: Collected

        mutating func write(_ buffer: ByteBuffer) async throws {
            var chunk = buffer
            into.buffer.writeBuffer(&chunk)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
