import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeSecrets
import PalisadeStore

/// `palisade-bench secrets`: the providers' encrypt and decrypt rates for 1 KiB and 64 KiB
/// values, then the Secret create rate of a server that encrypts beside one that stores
/// Secrets as they are (`identity`), measured alternately in the same run.
struct SecretsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "secrets", abstract: "Encryption at rest: cipher rates and its cost on Secret creates.")

    @Option(help: "Kubeconfig of the server that encrypts Secrets.")
    var kubeconfig: String

    @Option(help: "Kubeconfig of the same server build configured with identity (no encryption).")
    var identityKubeconfig: String

    @Option(help: "Concurrent keep-alive connections (and workers) for the create rate.")
    var connections = 16

    @Option(help: "Seconds each create measurement runs; each server is measured twice, alternately.")
    var seconds = 8

    @Option(help: "Seconds each cipher measurement runs.")
    var cipherSeconds = 2.0

    func run() async throws {
        print("palisade-bench secrets: cipher rates (one core), then Secret creates over \(connections) connections")
        try cipherRates()
        let encrypted = try PalisadeClient(kubeconfigPath: kubeconfig, connections: connections)
        let identity = try PalisadeClient(kubeconfigPath: identityKubeconfig, connections: connections)
        defer { Task { try? await encrypted.shutdown(); try? await identity.shutdown() } }
        let rates = try await Measurement.alternating([("identity", identity), ("secretbox", encrypted)]) { client, label in
            try await createSecrets(client, label: label)
        }
        let plain = rates["identity"]!
        let sealed = rates["secretbox"]!
        print(String(format: "Secret creates: identity %.0f/s, secretbox %.0f/s, ratio %.3f (encryption costs %.1f %%)", plain, sealed, sealed / plain, (1 - sealed / plain) * 100))
    }

    /// Seal and open rates of each provider through the same transformer the server uses.
    private func cipherRates() throws {
        let keyBytes = [UInt8](repeating: 0x5A, count: 32)
        for provider in [EncryptionConfiguration.Provider.secretbox(keys: [.init(name: "k", secret: keyBytes)]), .aesgcm(keys: [.init(name: "k", secret: keyBytes)])] {
            let policy = EncryptionPolicy(.init(rules: [.init(resources: ["secrets"], providers: [provider])]))
            for size in [1024, 65536] {
                let plaintext = [UInt8](repeating: 0x61, count: size)
                let key = "/registry/core/secrets/bench/value"
                let sealed = try policy.seal(plaintext, storageKey: key)
                let sealRate = try rate { _ = try policy.seal(plaintext, storageKey: key) }
                let openRate = try rate { _ = try policy.open(sealed, storageKey: key) }
                print(String(
                    format: "  %@ %5d B   encrypt %9.0f ops/s (%6.0f MB/s)   decrypt %9.0f ops/s (%6.0f MB/s)",
                    provider.name.padding(toLength: 9, withPad: " ", startingAt: 0) as NSString, size, sealRate, sealRate * Double(size) / 1e6, openRate, openRate * Double(size) / 1e6
                ))
            }
        }
    }

    /// Operations per second of `operation`, run in batches until `cipherSeconds` have passed.
    private func rate(_ operation: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        while (clock.now - start).seconds < cipherSeconds {
            for _ in 0..<64 { try operation() }
            count += 64
        }
        return Double(count) / (clock.now - start).seconds
    }

    private func createSecrets(_ client: PalisadeClient, label: String) async throws -> Measurement {
        let namespace = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await client.request("POST", "/api/v1/namespaces", json: ["metadata": ["name": .string(namespace)]])
        let value = JSONValue.string(Data(repeating: 0x61, count: 1024).base64EncodedString())
        return try await Measurement.run(label, workers: connections, duration: .seconds(seconds)) { worker, iteration in
            let body: JSONValue = ["metadata": ["name": .string("s-\(worker)-\(iteration)")], "data": ["payload": value]]
            let response = try await client.request("POST", "/api/v1/namespaces/\(namespace)/secrets", json: body)
            guard response.status == 201 else { throw ClientError(status: response.status, body: response.body) }
        }
    }
}
