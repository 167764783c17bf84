import Foundation
import Hummingbird
import NIOCore
import PalisadeAPI

/// Writes a watch as newline-delimited JSON events (each a full object, or a one-row Table
/// when asked), with periodic BOOKMARKs when allowed, until the client leaves, the timeout
/// passes or the events end.
struct WatchStreamer: Sendable {
    let definition: ResourceDefinition
    let format: ResponseFormat
    let includeObject: String?
    let bookmarkInterval: Duration?
    let timeout: Duration

    private enum Output: Sendable {
        case event(WatchEvent)
        case bookmark
        case end
    }

    func body(_ events: AsyncThrowingStream<WatchEvent, any Error>) -> ResponseBody {
        ResponseBody { writer in
            let (outputs, sink) = AsyncStream.makeStream(of: Output.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await event in events { sink.yield(.event(event)) }
                    } catch {}
                    sink.yield(.end)
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    sink.yield(.end)
                }
                if let bookmarkInterval {
                    group.addTask {
                        while (try? await Task.sleep(for: bookmarkInterval)) != nil { sink.yield(.bookmark) }
                    }
                }
                var lastVersion: String?
                var headersSent = false
                loop: for await output in outputs {
                    let line: JSONValue
                    switch output {
                    case .end: break loop
                    case .bookmark:
                        guard let lastVersion else { continue }
                        line = ["type": "BOOKMARK", "object": [
                            "kind": .string(definition.kind), "apiVersion": .string(definition.groupVersion),
                            "metadata": ["resourceVersion": .string(lastVersion)],
                        ]]
                    case .event(let event):
                        if event.kind != .error { lastVersion = event.object.resourceVersion ?? lastVersion }
                        line = ["type": .string(event.kind.rawValue), "object": render(event, headersSent: &headersSent)]
                    }
                    var bytes = JSONSerializer.bytes(line)
                    bytes.append(UInt8(ascii: "\n"))
                    try await writer.write(ByteBuffer(bytes: bytes))
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
    }

    /// The event's object in the negotiated form; only the first Table carries column definitions.
    private func render(_ event: WatchEvent, headersSent: inout Bool) -> JSONValue {
        guard case .table(let version) = format, event.kind != .error else { return event.object }
        let converter = TableConverter(definition: definition, version: version, includeObject: includeObject)
        defer { headersSent = true }
        return converter.table([event.object], resourceVersion: event.object.resourceVersion, withHeaders: !headersSent)
    }
}
