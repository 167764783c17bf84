/// Why a node could not get or renew its client certificate. The description is one line for
/// the operator; it names servers, files and certificate requests, never a token or a key.
public struct NodeJoinError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    static func refused(_ server: String, bootstrap: Bool, status: Int, message: String) -> NodeJoinError {
        let what = bootstrap && status == 401 ? "bootstrap token" : "certificate request"
        return NodeJoinError("\(what) refused by \(server): \(message)")
    }

    static func noCredentials(directory: String) -> NodeJoinError {
        NodeJoinError("\(directory) holds no valid certificate for this node and no bootstrap token was given")
    }

    static func denied(_ name: String, server: String, message: String) -> NodeJoinError {
        NodeJoinError("certificate request \(name) was denied by \(server)\(message.isEmpty ? "" : ": \(message)")")
    }

    static func unanswered(_ name: String, server: String, seconds: Int64) -> NodeJoinError {
        NodeJoinError("certificate request \(name) was not answered by \(server) within \(seconds) s (an administrator may approve it: kubectl certificate approve \(name))")
    }
}
