import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeStore

/// `palisade-bench api`: GET, LIST and create through the mTLS gateway of a running server,
/// beside the same operations on a bare SQLite `Store` in this process, so the gateway's
/// cost shows as a ratio measured on the same machine in the same run.
struct APIBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api", abstract: "API gateway versus raw store throughput.")

    @Option(help: "Kubeconfig of a system:masters user of the server to measure.")
    var kubeconfig = "var/admin.kubeconfig"

    @Option(help: "Concurrent keep-alive connections (and workers).")
    var connections = 16

    @Option(help: "Seconds each scenario runs.")
    var seconds = 10

    @Option(help: "Objects in the listed namespace.")
    var objects = 100

    func run() async throws {
        let duration = Duration.seconds(seconds)
        let namespace = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let client = try PalisadeClient(kubeconfigPath: kubeconfig, connections: connections)
        defer { Task { try? await client.shutdown() } }
        try await prepare(client, namespace)

        print("palisade-bench api: \(connections) connections, \(seconds) s per scenario, \(objects) objects listed")
        let base = "/api/v1/namespaces/\(namespace)/configmaps"
        let get = try await Measurement.run("GET", workers: connections, duration: duration) { worker, iteration in
            try Self.expect(200, try await client.request("GET", "\(base)/cm-\((worker + iteration) % objects)", body: nil))
        }
        let list = try await Measurement.run("LIST", workers: connections, duration: duration) { _, _ in
            try Self.expect(200, try await client.request("GET", base, body: nil))
        }
        let create = try await Measurement.run("create", workers: connections, duration: duration) { worker, iteration in
            let body: JSONValue = ["metadata": ["name": .string("new-\(worker)-\(iteration)")], "data": ["k": "v"]]
            try Self.expect(201, try await client.request("POST", base, json: body))
        }
        let store = try await storeBaseline(duration: duration)
        print("through the gateway (mTLS, HTTP/1.1 keep-alive):")
        for measurement in [get, list, create] { print("  " + measurement.summary) }
        print("raw SQLiteStore, same process, same workers:")
        for measurement in store { print("  " + measurement.summary) }
        print("gateway / store throughput:")
        for (gateway, raw) in zip([get, list, create], store) {
            print("  " + gateway.name.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: "%.3f", gateway.operationsPerSecond / raw.operationsPerSecond))
        }
        _ = try await client.request("DELETE", "/api/v1/namespaces/\(namespace)", body: nil)
    }

    private func prepare(_ client: PalisadeClient, _ namespace: String) async throws {
        try Self.expect(201, try await client.request("POST", "/api/v1/namespaces", json: ["metadata": ["name": .string(namespace)]]))
        for index in 0..<objects {
            let body: JSONValue = ["metadata": ["name": .string("cm-\(index)"), "labels": ["bench": "true"]], "data": ["key": .string("value-\(index)")]]
            try Self.expect(201, try await client.request("POST", "/api/v1/namespaces/\(namespace)/configmaps", json: body))
        }
    }

    /// The same three operations on a fresh store with the same data, no network and no API machinery.
    private func storeBaseline(duration: Duration) async throws -> [Measurement] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(path: directory + "/store.db")
        defer { store.close() }
        let prefix = "/registry/core/configmaps/bench/"
        let value = JSONSerializer.bytes(["metadata": ["name": "cm", "namespace": "bench", "labels": ["bench": "true"]], "data": ["key": "value"]])
        for index in 0..<objects { _ = try await store.create(prefix + "cm-\(index)", value: value) }
        let objects = self.objects
        let get = try await Measurement.run("store get", workers: connections, duration: duration) { worker, iteration in
            _ = try await store.get(prefix + "cm-\((worker + iteration) % objects)")
        }
        let range = try await Measurement.run("store range", workers: connections, duration: duration) { _, _ in
            _ = try await store.range(prefix: prefix, startAfter: nil, limit: nil, revision: nil)
        }
        let create = try await Measurement.run("store create", workers: connections, duration: duration) { worker, iteration in
            _ = try await store.create("/registry/core/configmaps/new/\(worker)-\(iteration)", value: value)
        }
        return [get, range, create]
    }

    private static func expect(_ status: Int, _ response: PalisadeClient.Response) throws {
        guard response.status == status else { throw ClientError(status: response.status, body: response.body) }
    }
}
