import Hummingbird
import PalisadeAPI
import PalisadeStore

/// `/healthz`, `/livez`, `/readyz` and `/version`.
struct HealthHandler: Sendable {
    let store: any Store

    /// The version kubectl's dispatcher reads: minor 32 selects kubectl 1.32.
    static let version: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.4-palisade", "gitCommit": "", "gitTreeState": "clean",
        "buildDate": "", "goVersion": "", "compiler": "swift", "platform": "linux/amd64",
    ]

    func respond(path: String) async -> Response? {
        switch path {
        case "/version", "/version/": return APIResponse.json(Self.version)
        case "/healthz", "/livez": return APIResponse.text("ok")
        case "/readyz":
            // Ready means the store answers.
            do {
                _ = try await store.currentRevision()
                return APIResponse.text("ok")
            } catch {
                return APIResponse.text("[-]etcd failed: the store does not answer\nreadyz check failed", status: .internalServerError)
            }
        default: return nil
        }
    }
}
