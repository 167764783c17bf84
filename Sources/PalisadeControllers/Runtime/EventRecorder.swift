import Foundation
import PalisadeAPI

/// Writes core/v1 Events about objects, as Kubernetes components report what they did
/// (`kubectl describe` shows them).
struct EventRecorder: Sendable {
    let client: APIClient
    /// The reporting component, such as `default-scheduler`.
    let component: String

    /// Creates an Event about `object` (of `kind` in `apiVersion`); returns its name.
    @discardableResult
    func record(
        _ object: JSONValue, kind: String, apiVersion: String = "v1", reason: String, message: String, type: String = "Normal", now: Date = Date()
    ) async throws -> String {
        let namespace = object.namespace ?? "default"
        let name = "\(object.name ?? "").\(String(UInt64.random(in: 1 ... .max), radix: 16))"
        let stamp = JSONValue.string(Timestamp.format(now))
        try await client.create("/api/v1/namespaces/\(namespace)/events", [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": [
                "apiVersion": .string(apiVersion), "kind": .string(kind), "namespace": object.namespace.map(JSONValue.string) ?? .null,
                "name": .string(object.name ?? ""), "uid": .string(object.uid ?? ""), "resourceVersion": .string(object.resourceVersion ?? ""),
            ],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": .string(component)], "reportingComponent": .string(component),
            "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1,
        ])
        return name
    }
}
