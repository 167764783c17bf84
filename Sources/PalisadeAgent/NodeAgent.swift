import Foundation
import Logging
import PalisadeAPI
import PalisadeAuth
import PalisadeClient
import PalisadeControllers
import PalisadeRuntime
import ServiceLifecycle

/// `palisade agent`: joins the cluster (bootstrap token, then its own certificate, kept
/// fresh), registers its Node, keeps its Lease, runs the pods bound to it, and serves their
/// logs to the API server.
public struct NodeAgent: Service {
    let configuration: AgentConfiguration
    let logger: Logger
    let onEndpointRunning: @Sendable (Int) async -> Void

    public init(configuration: AgentConfiguration, logger: Logger, onEndpointRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.onEndpointRunning = onEndpointRunning
    }

    /// The cgroup every pod of this node lives under.
    var cgroupRoot: String { "palisade/\(configuration.nodeName)" }

    public func run() async throws {
        let credentials = "\(configuration.dataDirectory)/credentials"
        let kubeconfig = try await NodeJoin.credentials(
            server: configuration.server, bootstrapServer: configuration.bootstrapServer, caPEM: configuration.clusterCAPEM,
            token: configuration.token, nodeName: configuration.nodeName, directory: credentials, logger: logger
        )
        let http = try PalisadeClient(kubeconfig: kubeconfig, connections: 16)
        let client = APIClient(http)
        let layout = try? CgroupLayout.detect()
        if layout == nil { logger.warning("no cgroups found: containers run without memory, cpu and pids limits") }
        // An earlier run's pods are gone with it: their processes and cgroups are ended now,
        // and the pods started afresh from the API's list.
        if let layout {
            let leftovers = CgroupTree(cgroupRoot, layout: layout)
            leftovers.killAll()
            leftovers.remove()
        }
        let pods = "\(configuration.dataDirectory)/pods"
        for pod in (try? FileManager.default.contentsOfDirectory(atPath: pods)) ?? [] {
            // Unmounts its secret and memory volumes first; never walks into them.
            try PodVolumes.tearDown(podDirectory: "\(pods)/\(pod)")
        }

        let services = AgentServices(configuration: configuration, client: client, cgroups: layout, cgroupRoot: cgroupRoot, logger: logger)
        let supervisor = PodSupervisor(services: services)
        let identity = try ServingIdentity.create(node: configuration.nodeName, address: configuration.nodeAddress)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let endpoint = try AgentEndpoint(
            host: configuration.nodeAddress, port: configuration.endpointPort, identity: identity, clusterCAPEM: configuration.clusterCAPEM,
            logs: ContainerLogs(supervisor: supervisor), logger: logger
        ) { [onEndpointRunning] port in
            portSink.yield(port)
            await onEndpointRunning(port)
        }
        let rotation = CertificateRotation(nodeName: configuration.nodeName, directory: credentials, logger: logger) { [logger] renewed in
            do {
                try http.replaceIdentity(with: renewed)
                logger.info("node client certificate renewed")
            } catch {
                logger.error("the renewed certificate cannot be used", metadata: ["error": "\(error)"])
            }
        }
        // On graceful shutdown the endpoint ends itself (after its open requests) and the loops
        // are cancelled; should one fail first, the others are cancelled with it.
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { portSink.finish() }
                    try await endpoint.run()
                }
                // The Node is registered with the endpoint's port once it listens.
                var bound = ports.makeAsyncIterator()
                guard let port = await bound.next() else { return try await group.waitForAll() }
                let reporter = NodeStatusReporter(
                    client: client, name: configuration.nodeName, address: configuration.nodeAddress, daemonPort: port,
                    servingAuthorityPEM: identity.authorityPEM,
                    resources: NodeResources.detect(dataDirectory: configuration.dataDirectory), heartbeat: configuration.heartbeat, logger: logger
                )
                try await reporter.register()
                group.addTask { try await rotation.run() }
                group.addTask { try await cancelWhenGracefulShutdown { await reporter.run() } }
                group.addTask { try await cancelWhenGracefulShutdown { await supervisor.run() } }
                try await group.waitForAll()
            }
        } catch {
            failure = error
        }
        await supervisor.stopAll()
        if let layout { CgroupTree(cgroupRoot, layout: layout).remove() }
        try? await http.shutdown()
        if let failure, !(failure is CancellationError) { throw failure }
    }
}
