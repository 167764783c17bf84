import ArgumentParser

/// `host:port`, with IPv6 hosts in brackets (`[::1]:6443`).
struct ListenAddress: ExpressibleByArgument, Sendable {
    var host: String
    var port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        var host = String(argument[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    /// The URL clients use; a wildcard address is reached on loopback.
    func url(port actual: Int) -> String {
        let dialed = host == "0.0.0.0" ? "127.0.0.1" : (host == "::" ? "::1" : host)
        return dialed.contains(":") ? "https://[\(dialed)]:\(actual)" : "https://\(dialed):\(actual)"
    }
}
