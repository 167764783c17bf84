import ArgumentParser
import Foundation
import Logging
import PalisadeClient
import PalisadeTesting

/// `palisade-bench hollow --nodes N`: registers N hollow nodes and reports their pods
/// Running until stopped, for trying workloads without a node runtime (the end-to-end
/// tests drive kubectl rollouts with it). Not a runtime: no process is started.
struct HollowNodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hollow", abstract: "Run simulated nodes until stopped.")

    @Option(help: "Kubeconfig of an administrator of the server.")
    var kubeconfig: String

    @Option(help: "How many nodes.")
    var nodes = 3

    @Option(help: "Node name prefix.")
    var prefix = "hollow-"

    @Option(help: "Allocatable CPU of each node.")
    var cpu = "4"

    @Option(help: "Allocatable memory of each node.")
    var memory = "16Gi"

    func run() async throws {
        let client = try PalisadeClient(kubeconfigPath: kubeconfig)
        var logger = Logger(label: "hollow-nodes")
        logger.logLevel = .warning
        let hollow = HollowNodes(client: client, count: nodes, prefix: prefix, cpu: cpu, memory: memory, logger: logger)
        try await hollow.register()
        print("hollow nodes ready: \(hollow.names.joined(separator: " "))")
        fflush(nil)
        await hollow.run()
        try await client.shutdown()
    }
}
