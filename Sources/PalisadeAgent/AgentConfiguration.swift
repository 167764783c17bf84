import Foundation

/// Settings of `palisade agent`.
public struct AgentConfiguration: Sendable {
    public var nodeName: String
    /// The API server (mTLS) and its bootstrap listener (bootstrap token).
    public var server: String
    public var bootstrapServer: String
    public var clusterCAPEM: String
    /// `<id>.<secret>` from `kauth token create`; only needed before the node has a certificate.
    public var token: String?
    /// The node's own files: its credentials and its pods' directories.
    public var dataDirectory: String
    public var imageStore: String
    /// `runtime-default.json` and the `Localhost` profiles.
    public var seccompDirectory: String
    /// The node's address, reported as its InternalIP, and the agent endpoint's port there.
    public var nodeAddress: String
    public var endpointPort: Int
    /// Processes per container at most.
    public var podPidsLimit: Int64 = 1024
    /// Bytes of a container's log before it is rotated (one earlier file is kept).
    public var containerLogMaxBytes: Int64 = 10 << 20
    public var heartbeat: Duration = .seconds(10)

    public init(
        nodeName: String, server: String, bootstrapServer: String, clusterCAPEM: String, token: String?, dataDirectory: String,
        imageStore: String, seccompDirectory: String, nodeAddress: String, endpointPort: Int
    ) {
        self.nodeName = nodeName
        self.server = server
        self.bootstrapServer = bootstrapServer
        self.clusterCAPEM = clusterCAPEM
        self.token = token
        self.dataDirectory = dataDirectory
        self.imageStore = imageStore
        self.seccompDirectory = seccompDirectory
        self.nodeAddress = nodeAddress
        self.endpointPort = endpointPort
    }
}
