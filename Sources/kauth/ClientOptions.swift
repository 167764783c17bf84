import ArgumentParser
import Foundation
import PalisadeClient

/// Which cluster and identity kauth uses: `--kubeconfig`, else `KUBECONFIG`, else the local
/// cluster's admin kubeconfig.
struct ClientOptions: ParsableArguments {
    @Option(help: "Kubeconfig to use (default: $KUBECONFIG, else var/admin.kubeconfig).")
    var kubeconfig: String?

    var path: String {
        if let kubeconfig { return kubeconfig }
        if let environment = ProcessInfo.processInfo.environment["KUBECONFIG"], !environment.isEmpty {
            return environment.split(separator: ":").first.map(String.init) ?? environment
        }
        return "var/admin.kubeconfig"
    }

    /// Runs `body` with a client, always shutting it down.
    func withClient<T>(_ body: (PalisadeClient) async throws -> T) async throws -> T {
        guard FileManager.default.isReadableFile(atPath: path) else { throw KauthError("cannot read the kubeconfig \(path)") }
        let client: PalisadeClient
        do {
            client = try PalisadeClient(kubeconfigPath: path, connections: 1)
        } catch {
            throw KauthError("\(path) is not a kubeconfig with an embedded client certificate and key")
        }
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch let refusal as ClientError {
            try? await client.shutdown()
            throw refusal
        } catch {
            try? await client.shutdown()
            throw KauthError("cannot reach the server at \(client.server): \(error)")
        }
    }
}
