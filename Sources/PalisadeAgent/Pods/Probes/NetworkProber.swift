import Glibc

/// Runs HTTP and TCP probes over connections the caller opens inside the pod's network
/// namespace. `connect(port)` returns a connected socket to `127.0.0.1:port`; the prober owns
/// and closes it. Exec probes are the caller's to run (exit 0 is success).
///
/// HTTP: `GET path HTTP/1.1` with `Host` (`host:port`, the `host` field or the pod IP),
/// `User-Agent: kube-probe/1.33`, `Accept: */*` and the probe's headers (which override those),
/// then a status of 200–399 within the timeout is success. Redirects are not followed (a 3xx
/// is success, as the kubelet treats a redirect to another host).
public struct NetworkProber: Sendable {
    /// Opens a TCP connection to `127.0.0.1:port` in the pod; should give up by itself when the port does not answer.
    public typealias Connect = @Sendable (_ port: Int) async throws -> Int32

    private let connect: Connect

    public init(connect: @escaping Connect) {
        self.connect = connect
    }

    /// Runs `probe`; nil for an exec probe, which the caller runs in the container.
    public func run(_ probe: Probe, podIP: String? = nil) async -> ProbeResult? {
        let timeout = Duration.seconds(probe.timeoutSeconds)
        switch probe.action {
        case .exec: return nil
        case .httpGet(let action): return await httpGet(action, timeout: timeout, podIP: podIP)
        case .tcpSocket(let port, _): return await tcpSocket(port: port, timeout: timeout)
        }
    }

    public func tcpSocket(port: Int, timeout: Duration) async -> ProbeResult {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        switch await open(port) {
        case .failure(let failure): return .failure(failure.message)
        case .success(let descriptor):
            close(descriptor)
            return ContinuousClock.now <= deadline ? .success : .failure("dial tcp 127.0.0.1:\(port): timed out")
        }
    }

    public func httpGet(_ action: Probe.HTTPGetAction, timeout: Duration, podIP: String? = nil) async -> ProbeResult {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let descriptor: Int32
        switch await open(action.port) {
        case .failure(let failure): return .failure(failure.message)
        case .success(let opened): descriptor = opened
        }
        let request = Self.request(action, podIP: podIP)
        let exchanged = await ProbeSocket.run { () -> Result<String, ProbeSocket.Failure> in
            defer { close(descriptor) }
            let socket = ProbeSocket(descriptor: descriptor, deadline: deadline)
            return Result { () throws(ProbeSocket.Failure) in
                try socket.send(request)
                return try socket.readLine()
            }
        }
        switch exchanged {
        case .failure(let failure): return .failure("HTTP probe of port \(action.port) failed: \(failure.message)")
        case .success(let statusLine): return Self.result(ofStatusLine: statusLine)
        }
    }

    private func open(_ port: Int) async -> Result<Int32, ProbeSocket.Failure> {
        do {
            let descriptor = try await connect(port)
            guard descriptor >= 0 else { return .failure(ProbeSocket.Failure(message: "dial tcp 127.0.0.1:\(port): no connection")) }
            return .success(descriptor)
        } catch {
            return .failure(ProbeSocket.Failure(message: "dial tcp 127.0.0.1:\(port): \(error)"))
        }
    }

    static func request(_ action: Probe.HTTPGetAction, podIP: String?) -> [UInt8] {
        var headers: [(String, String)] = [
            ("Host", "\(action.host ?? podIP ?? "127.0.0.1"):\(action.port)"), ("User-Agent", "kube-probe/1.33"), ("Accept", "*/*"),
        ]
        for header in action.headers {
            headers.removeAll { $0.0.lowercased() == header.name.lowercased() }
        }
        headers += action.headers.map { ($0.name, $0.value) }
        headers.append(("Connection", "close"))
        let lines = ["GET \(action.path) HTTP/1.1"] + headers.map { "\($0): \($1)" }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// `HTTP/1.1 204 No Content` → success; any status outside 200–399 → failure.
    static func result(ofStatusLine line: String) -> ProbeResult {
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            return .failure("HTTP probe failed: malformed response")
        }
        return (200..<400).contains(status) ? .success : .failure("HTTP probe failed with statuscode: \(status)")
    }
}
