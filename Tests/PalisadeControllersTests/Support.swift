import Foundation
import PalisadeAPI
import PalisadeClient

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
func eventually(within timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

extension PalisadeClient {
    func json(_ path: String) async throws -> JSONValue {
        try await request("GET", path, json: nil).requireJSON()
    }

    func items(_ path: String) async throws -> [JSONValue] {
        try await json(path)["items"]?.arrayValue ?? []
    }

    @discardableResult
    func create(_ path: String, _ object: JSONValue) async throws -> JSONValue {
        try await request("POST", path, json: object).requireJSON()
    }
}

enum Workloads {
    static func pod(_ name: String, cpu: String = "100m", labels: [String: String] = [:], tolerations: [JSONValue] = []) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": [
                "containers": [["name": "app", "image": "busybox", "resources": ["requests": ["cpu": .string(cpu)]]]],
                "tolerations": .array(tolerations),
            ],
        ]
    }

    static func replicaSet(_ name: String, replicas: Int64, app: String) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(app)]],
                "template": [
                    "metadata": ["labels": ["app": .string(app)]],
                    "spec": ["containers": [["name": "app", "image": "busybox", "resources": ["requests": ["cpu": "100m"]]]]],
                ],
            ],
        ]
    }
}
