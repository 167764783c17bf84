import Logging
import PalisadeAPI
import PalisadeAuth
import PalisadeControllers

extension TestCluster {
    /// The scheduler and controllers as `palisade server` runs them, with short leases.
    public static var testControllers: ControllerManager.Configuration {
        var configuration = ControllerManager.Configuration()
        configuration.leaseDuration = .seconds(3)
        configuration.renewInterval = .milliseconds(500)
        configuration.namespaceRetryInterval = .milliseconds(200)
        return configuration
    }

    /// Runs the scheduler and the controllers against this cluster while `body` runs, then
    /// stops them.
    public func withControllers<T: Sendable>(
        _ configuration: ControllerManager.Configuration = TestCluster.testControllers, _ body: () async throws -> T
    ) async throws -> T {
        let address = ServerAddress()
        address.set(server)
        var logger = Logger(label: "palisade-test-controllers")
        logger.logLevel = .error
        let manager = ControllerManager(authority: pki.authority, server: address, configuration: configuration, logger: logger)
        let task = Task { try await manager.run() }
        defer { task.cancel() }
        let result = try await body()
        task.cancel()
        _ = await task.result
        return result
    }

    /// `count` hollow nodes registered, reporting their pods and renewing their Leases every
    /// `heartbeat` while `body` runs.
    public func withHollowNodes<T: Sendable>(
        _ count: Int, cpu: String = "4", memory: String = "16Gi", taints: [String: [JSONValue]] = [:], heartbeat: Duration = .seconds(10),
        _ body: (HollowNodes) async throws -> T
    ) async throws -> T {
        let nodes = HollowNodes(client: admin, count: count, cpu: cpu, memory: memory)
        try await nodes.register(taints: taints)
        let task = Task { await nodes.run(heartbeat: heartbeat) }
        defer { task.cancel() }
        return try await body(nodes)
    }
}
