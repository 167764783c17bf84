import Foundation
import Hummingbird
import NIOCore

/// `GET /containerLogs/<namespace>/<pod>/<container>`: a container's output, with the
/// kubelet's options: `previous`, `tailLines`, `limitBytes`, and `follow`, which streams
/// new output until the container ends.
struct ContainerLogs: Sendable {
    let supervisor: PodSupervisor
    /// How often a followed log is checked for more.
    var pollInterval: Duration = .milliseconds(200)

    func response(for request: Request, context: EndpointContext) async throws -> Response {
        let namespace = context.parameters.get("namespace") ?? ""
        let pod = context.parameters.get("pod") ?? ""
        let container = context.parameters.get("container") ?? ""
        let query = request.uri.queryParameters
        let previous = query.get("previous") == "true"
        guard let worker = await supervisor.worker(namespace: namespace, name: pod) else {
            throw HTTPError(.notFound, message: "pod \(namespace)/\(pod) is not on this node")
        }
        guard let files = await worker.logFiles(container) else {
            throw HTTPError(.notFound, message: "container \(container) is not valid for pod \(pod)")
        }
        guard let path = previous ? files.previous : files.current else {
            let which = previous ? "previous terminated container" : "container"
            throw HTTPError(.badRequest, message: "\(which) \"\(container)\" in pod \"\(pod)\" not found")
        }
        var contents = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
        if let lines = query.get("tailLines").flatMap(Int.init) { contents = Self.tail(contents, lines: lines) }
        if let limit = query.get("limitBytes").flatMap(Int.init), limit >= 0 { contents = Array(contents.prefix(limit)) }
        let follow = query.get("follow") == "true" && !previous && files.running
        let headers: HTTPFields = [.contentType: "text/plain"]
        guard follow else { return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: contents))) }

        let start = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? contents.count
        let interval = pollInterval
        let sent = contents
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(bytes: sent))
            guard let handle = FileHandle(forReadingAtPath: path) else { return try await writer.finish(nil) }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(start))
            while true {
                let more = handle.availableData
                if !more.isEmpty {
                    try await writer.write(ByteBuffer(bytes: more))
                    continue
                }
                // The instance ended (or a newer one writes elsewhere): what it wrote is all sent.
                let now = await worker.logFiles(container)
                guard now?.running == true, now?.current == path else { break }
                try await Task.sleep(for: interval)
            }
            try await writer.finish(nil)
        })
    }

    /// The last `lines` lines of `bytes`.
    static func tail(_ bytes: [UInt8], lines: Int) -> [UInt8] {
        guard lines >= 0 else { return bytes }
        var seen = 0
        var index = bytes.count
        // A final newline ends the last line; it does not start another.
        if index > 0 && bytes[index - 1] == UInt8(ascii: "\n") { index -= 1 }
        while index > 0 {
            if bytes[index - 1] == UInt8(ascii: "\n") {
                seen += 1
                if seen == lines { return Array(bytes[index...]) }
            }
            index -= 1
        }
        return lines == 0 ? [] : bytes
    }
}
