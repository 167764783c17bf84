import Foundation
import Glibc
import PalisadeAgent
import Synchronization
import Testing

/// HTTP and TCP probes against a real listener on 127.0.0.1, through the same
/// `connect(port) -> fd` seam the agent uses inside a pod's network namespace.
@Suite struct NetworkProberTests {
    struct ConnectFailed: Error, CustomStringConvertible {
        let code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    /// What the agent supplies: a connected socket to 127.0.0.1:port.
    static let prober = NetworkProber { port in
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw ConnectFailed(code: code)
        }
        return descriptor
    }

    /// A port nothing listens on.
    static func closedPort() throws -> Int {
        let listener = try TestHTTPListener(response: nil)
        listener.stop()
        return listener.port
    }

    @Test(arguments: [
        ("200 OK", true), ("204 No Content", true), ("302 Found", true), ("404 Not Found", false), ("500 Internal Server Error", false),
    ])
    func theStatusDecides(status: String, succeeds: Bool) async throws {
        let listener = try TestHTTPListener(response: "HTTP/1.1 \(status)\r\nContent-Length: 0\r\n\r\n")
        defer { listener.stop() }
        let result = await Self.prober.httpGet(.init(path: "/healthz", port: listener.port), timeout: .seconds(1))
        #expect(result.succeeded == succeeds)
        if !succeeds { #expect(result == .failure("HTTP probe failed with statuscode: \(status.prefix(3))")) }
    }

    @Test func theRequestCarriesPathHostAndHeaders() async throws {
        let listener = try TestHTTPListener(response: "HTTP/1.0 200 OK\r\n\r\n")
        defer { listener.stop() }
        let action = Probe.HTTPGetAction(
            path: "/ready?deep=1", port: listener.port, headers: [.init(name: "X-Token", value: "abc"), .init(name: "user-agent", value: "mine")])
        #expect(await Self.prober.httpGet(action, timeout: .seconds(1), podIP: "10.1.0.7") == .success)
        let request = try #require(listener.requests.first)
        let lines = request.components(separatedBy: "\r\n")
        #expect(lines.first == "GET /ready?deep=1 HTTP/1.1")
        #expect(lines.contains("Host: 10.1.0.7:\(listener.port)") && lines.contains("X-Token: abc") && lines.contains("Accept: */*"))
        #expect(lines.contains("user-agent: mine") && !lines.contains("User-Agent: kube-probe/1.33"))
    }

    @Test func aSilentServerTimesOut() async throws {
        let listener = try TestHTTPListener(response: nil)
        defer { listener.stop() }
        let result = await Self.prober.httpGet(.init(port: listener.port), timeout: .milliseconds(300))
        // The server never answers: the probe gives up at its deadline, and says so.
        #expect(result == .failure("HTTP probe of port \(listener.port) failed: timed out"))
    }

    @Test func aRefusedConnectionFails() async throws {
        let port = try Self.closedPort()
        #expect(!(await Self.prober.httpGet(.init(port: port), timeout: .seconds(1))).succeeded)
        #expect(!(await Self.prober.tcpSocket(port: port, timeout: .seconds(1))).succeeded)
    }

    @Test func tcpProbesSucceedWhenTheyConnect() async throws {
        let listener = try TestHTTPListener(response: "")
        defer { listener.stop() }
        #expect(await Self.prober.run(Probe(action: .tcpSocket(port: listener.port, host: nil))) == .success)
        #expect(await Self.prober.run(Probe(action: .exec(command: ["true"]))) == nil)
    }

    @Test func garbageIsNotAnHTTPResponse() async throws {
        let listener = try TestHTTPListener(response: "SSH-2.0-OpenSSH\r\n")
        defer { listener.stop() }
        #expect(await Self.prober.httpGet(.init(port: listener.port), timeout: .seconds(1)) == .failure("HTTP probe failed: malformed response"))
    }
}

/// A one-connection-at-a-time HTTP server answering each request with `response` (or nothing).
final class TestHTTPListener: Sendable {
    let descriptor: Int32
    let port: Int
    let requests = RequestLog()

    init(response: String?) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        try #require(bound && listen(descriptor, 8) == 0)
        port = Int(UInt16(bigEndian: address.sin_port))
        let requests = requests
        Thread.detachNewThread {
            while true {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else {
                    // Closed only here, once this thread is done with it: closing in stop()
                    // would let another listener reuse the number under this accept loop.
                    close(descriptor)
                    return
                }
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
                    let count = recv(client, &buffer, buffer.count, 0)
                    guard count > 0 else { break }
                    received += buffer[..<count]
                }
                requests.append(String(decoding: received, as: UTF8.self))
                if let response {
                    _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                } else {
                    Thread.sleep(forTimeInterval: 2)
                }
                close(client)
            }
        }
    }

    /// Wakes the accept loop, which then closes the socket.
    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }
}

/// The requests a ``TestHTTPListener`` received.
final class RequestLog: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ request: String) { entries.withLock { $0.append(request) } }
    var first: String? { entries.withLock { $0.first } }
}
