import ArgumentParser
import Foundation
import Logging
import PalisadeAgent
import ServiceLifecycle
import UnixSignals

/// `palisade agent`: the node agent (kubelet). It joins the cluster with a bootstrap token
/// once, then runs the pods the scheduler binds to its node in confined containers.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", abstract: "Run the node agent: join the cluster and run this node's pods.")

    @Option(help: "The API server, https://host:port.")
    var server: String

    @Option(help: "The node's name (default: this machine's host name).")
    var name: String?

    @Option(help: "Bootstrap token <id>.<secret> (kauth token create); needed until the node has its certificate.")
    var token: String?

    @Option(help: "The server's bootstrap listener (default: the server's host, port 6444).")
    var bootstrapServer: String?

    @Option(help: "The cluster CA certificate (PEM) the servers are verified against.")
    var certificateAuthority = "var/pki/ca.crt"

    @Option(help: "The agent's directory: credentials and pods (default: var/agent/<name>).")
    var dataDir: String?

    @Option(help: "The image store (palisade image import).")
    var images = "var/images"

    @Option(help: "Seccomp profiles: runtime-default.json and Localhost profiles.")
    var seccompProfiles = "policies/seccomp"

    @Option(help: "The node's address (its InternalIP); the agent endpoint listens there.")
    var address = "127.0.0.1"

    @Option(help: "Port of the agent endpoint (container logs for the API server).")
    var port = 10250

    @Option(help: "Processes per container at most.")
    var podPidsLimit: Int64 = 1024

    func run() async throws {
        guard getuid() == 0 else { throw ValidationError("the agent makes namespaces, mounts and cgroups: run it as root") }
        guard let authority = try? String(contentsOfFile: certificateAuthority, encoding: .utf8) else {
            throw ValidationError("--certificate-authority \(certificateAuthority): cannot be read")
        }
        let nodeName = name ?? ProcessInfo.processInfo.hostName.lowercased()
        var configuration = AgentConfiguration(
            nodeName: nodeName, server: server, bootstrapServer: bootstrapServer ?? Self.bootstrapURL(for: server),
            clusterCAPEM: authority, token: token ?? ProcessInfo.processInfo.environment["PALISADE_BOOTSTRAP_TOKEN"],
            dataDirectory: dataDir ?? "var/agent/\(nodeName)", imageStore: images, seccompDirectory: seccompProfiles,
            nodeAddress: address, endpointPort: port
        )
        configuration.podPidsLimit = podPidsLimit
        var logger = Logger(label: "palisade.agent")
        logger.logLevel = .info
        let agent = NodeAgent(configuration: configuration, logger: logger) { port in
            print("palisade: agent endpoint ready on port \(port)")
            fflush(nil)
        }
        let group = ServiceGroup(configuration: .init(services: [agent], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The server's URL with the bootstrap listener's default port.
    static func bootstrapURL(for server: String) -> String {
        guard var components = URLComponents(string: server) else { return server }
        components.port = 6444
        return components.string ?? server
    }
}
