import Foundation
import Hummingbird
import NIOCore
import PalisadeAPI
import ServiceLifecycle

/// Writes a watch as newline-delimited JSON events (each a full object, or a one-row Table
/// when asked), with periodic BOOKMARKs when allowed, until the timeout passes, the events
/// end, the server shuts down, or a write finds the client gone. (A client that leaves an
/// idle watch is noticed at the next event or at the timeout: the connection is not read
/// while the response streams.)
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
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    startSources(in: &group, events: events, sink: sink)
                    try await write(outputs, to: &writer)
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                sink.yield(.end)
            }
            try await writer.finish(nil)
        }
    }

    /// Everything that can produce output or end the stream, each in its own task.
    private func startSources(
        in group: inout ThrowingTaskGroup<Void, any Error>, events: AsyncThrowingStream<WatchEvent, any Error>,
        sink: AsyncStream<Output>.Continuation
    ) {
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
    }

    /// Writes one line per event or bookmark until the first `.end`.
    private func write(_ outputs: AsyncStream<Output>, to writer: inout any ResponseBodyWriter) async throws {
        var lastVersion: String?
        var headersSent = false
        for await output in outputs {
            let line: JSONValue
            switch output {
            case .end: return
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
    }

    /// The event's object in the negotiated form; only the first Table carries column definitions.
    private func render(_ event: WatchEvent, headersSent: inout Bool) -> JSONValue {
        guard case .table(let version) = format, event.kind != .error else { return event.object }
        let converter = TableConverter(definition: definition, version: version, includeObject: includeObject)
        defer { headersSent = true }
        return converter.table([event.object], resourceVersion: event.object.resourceVersion, withHeaders: !headersSent)
    }
}
