import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import PalisadeAPI
import PalisadeAudit
import ServiceLifecycle

/// The audit log, read through the server, so auditors need no shell on it:
///
/// - `GET /palisade/v1/audit/events?user=&group=&verb=&resource=&namespace=&name=&decision=&code=&since=&until=&stage=&limit=`:
///   an `audit.k8s.io/v1` EventList of the newest matching events, oldest first;
///   with `follow=true`, matching events as they are written, one JSON object per line;
/// - `GET /palisade/v1/audit/checkpoint`: a freshly signed checkpoint of the chain head.
///
/// They are non-resource URLs: the `palisade:audit-reader` ClusterRole grants them, and each
/// read is itself audited like any request.
struct AuditQueryHandler: Sendable {
    static let eventsPath = "/palisade/v1/audit/events"
    static let checkpointPath = "/palisade/v1/audit/checkpoint"
    static let defaultLimit = 500

    let log: AuditLog
    let followTimeout: Duration

    func respond(_ request: Request, path: String) async throws -> Response? {
        guard path == Self.eventsPath || path == Self.checkpointPath else { return nil }
        guard request.method == .get else { throw APIError.methodNotAllowed("\(request.method.rawValue) is not allowed on \(path)") }
        if path == Self.checkpointPath {
            do {
                return APIResponse.json(try log.checkpoint().json)
            } catch {
                throw APIError.serviceUnavailable("the audit checkpoint cannot be signed")
            }
        }
        let parameters = QueryParameters(request.uri.query)
        let query: AuditQuery
        do {
            query = try AuditQuery(parameter: { parameters[$0] })
        } catch {
            throw APIError.badRequest(error.description)
        }
        if parameters.flag("follow") { return follow(query) }
        var limit = Self.defaultLimit
        if let text = parameters["limit"] {
            guard let value = Int(text), value > 0 else { throw APIError.badRequest("limit: must be a positive integer") }
            limit = value
        }
        let reader = AuditLogReader(path: log.configuration.path)
        let newest = limit
        let events = try await NIOThreadPool.singleton.runIfActive { reader.events(matching: query, limit: newest) }
        return APIResponse.json(["kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": .emptyObject, "items": .array(events)])
    }

    /// New matching events, one per line, until the timeout, shutdown, or the client leaves.
    private func follow(_ query: AuditQuery) -> Response {
        let lines = log.follow()
        let timeout = followTimeout
        var headers = HTTPFields()
        headers[.contentType] = APIResponse.jsonContentType
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // nil ends the stream: the log closed, the timeout passed, or the server stops.
            let (chunks, sink) = AsyncStream.makeStream(of: [UInt8]?.self)
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await chunk in lines { sink.yield(chunk) }
                        sink.yield(nil)
                    }
                    group.addTask {
                        try? await Task.sleep(for: timeout)
                        sink.yield(nil)
                    }
                    for await case let chunk? in chunks.prefix(while: { $0 != nil }) {
                        let matched = Self.matching(chunk, query)
                        if matched.readableBytes > 0 { try await writer.write(matched) }
                    }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                sink.yield(nil)
            }
            try await writer.finish(nil)
        })
    }

    private static func matching(_ chunk: [UInt8], _ query: AuditQuery) -> ByteBuffer {
        var matched = ByteBuffer()
        for line in chunk.split(separator: UInt8(ascii: "\n")) {
            guard let event = try? JSONParser.parse(line), query.matches(event) else { continue }
            matched.writeBytes(line)
            matched.writeInteger(UInt8(ascii: "\n"))
        }
        return matched
    }
}
