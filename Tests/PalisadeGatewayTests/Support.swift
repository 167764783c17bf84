import Foundation
import PalisadeAPI
import PalisadeClient
import PalisadeStore
import PalisadeTesting
import Testing

// Shared pieces of the gateway suites: paths, manifests, Status checks, watch reading and polling.
// Every test starts its own `TestCluster`, so tests never see each other's objects.

/// URL paths of the resources the tests use.
enum Paths {
    static let namespaces = "/api/v1/namespaces"
    static func namespace(_ name: String) -> String { "\(namespaces)/\(name)" }
    static func configMaps(in namespace: String = "default") -> String { "\(namespaces)/\(namespace)/configmaps" }
    static func configMap(_ name: String, in namespace: String = "default") -> String { "\(configMaps(in: namespace))/\(name)" }
    static func pods(in namespace: String = "default") -> String { "\(namespaces)/\(namespace)/pods" }
    static func pod(_ name: String, in namespace: String = "default") -> String { "\(pods(in: namespace))/\(name)" }
    static func deployments(in namespace: String = "default") -> String { "/apis/apps/v1/namespaces/\(namespace)/deployments" }
    static func deployment(_ name: String, in namespace: String = "default") -> String { "\(deployments(in: namespace))/\(name)" }
}

/// Media types clients send and ask for.
enum MediaType {
    static let json = "application/json"
    static let yaml = "application/yaml"
    static let protobuf = "application/vnd.kubernetes.protobuf"
    static let jsonPatch = "application/json-patch+json"
    static let mergePatch = "application/merge-patch+json"
    static let strategicMergePatch = "application/strategic-merge-patch+json"
    static let applyPatch = "application/apply-patch+yaml"
    static let table = "application/json;as=Table;v=v1;g=meta.k8s.io"
    static let aggregatedDiscovery = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
}

/// Request bodies of the kinds the tests create.
enum Manifests {
    static func namespace(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    static func configMap(
        _ name: String, namespace: String? = nil, labels: [String: String] = [:], finalizers: [String] = [],
        data: [String: String] = ["key": "value"]
    ) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        if !labels.isEmpty { metadata["labels"] = .strings(labels) }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map(JSONValue.string)) }
        return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": .strings(data)]
    }

    /// A Pod with one container `app`; with `nodeName`, already scheduled (as a pod created for a node is).
    static func pod(_ name: String, labels: [String: String] = [:], nodeName: String? = nil) -> JSONValue {
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": .strings(labels)],
            "spec": ["containers": [["name": "app", "image": "nginx:1.27"]]],
        ]
        if let nodeName { pod[path: ["spec", "nodeName"]] = .string(nodeName) }
        return pod
    }

    /// A Deployment selecting `app=<app>`, with one container `web` exposing port 80.
    static func deployment(_ name: String, replicas: Int64 = 1, app: String = "web") -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas),
                "selector": ["matchLabels": ["app": .string(app)]],
                "template": [
                    "metadata": ["labels": ["app": .string(app)]],
                    "spec": ["containers": [["name": "web", "image": "nginx:1.27", "ports": [["containerPort": 80]]]]],
                ],
            ],
        ]
    }

    /// A finalizer nothing in the cluster removes: the test does, when it wants the object gone.
    static let holdFinalizer = "example.com/hold"
}

extension JSONValue {
    static func strings(_ map: [String: String]) -> JSONValue { .object(map.mapValues(JSONValue.string)) }

    /// The sorted `metadata.name`s of a list's `items`.
    var itemNames: [String] { (self["items"]?.arrayValue ?? []).compactMap(\.name).sorted() }

    /// `details.causes[].field` of a Status.
    var causeFields: [String] { (self[path: ["details", "causes"]]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue } }

    var message: String { self["message"]?.stringValue ?? "" }
}

extension [UInt8] {
    /// Bytes from a hex string (as captured on the wire).
    init(hex: String) {
        let digits = Array(hex.utf8)
        self = stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }
}

extension PalisadeClient.Response {
    var text: String { String(decoding: body, as: UTF8.self) }

    /// Checks that this is a failure `metav1.Status` with `code` and `reason`, and returns it.
    @discardableResult
    func expectFailure(_ code: Int, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        #expect(status == code, "\(text)", sourceLocation: sourceLocation)
        let status = try #require(json, "not JSON: \(text)", sourceLocation: sourceLocation)
        #expect(status["kind"]?.stringValue == "Status", sourceLocation: sourceLocation)
        #expect(status["apiVersion"]?.stringValue == "v1", sourceLocation: sourceLocation)
        #expect(status["status"]?.stringValue == "Failure", sourceLocation: sourceLocation)
        #expect(status["code"]?.intValue == Int64(code), sourceLocation: sourceLocation)
        #expect(status["reason"]?.stringValue == reason, "\(text)", sourceLocation: sourceLocation)
        return status
    }
}

extension PalisadeClient {
    /// Sends a request that must be answered with `status`; returns the JSON body.
    @discardableResult
    func send(
        _ method: String, _ path: String, _ json: JSONValue? = nil, contentType: String = MediaType.json, expect status: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let response = try await request(method, path, json: json, contentType: contentType)
        try #require(response.status == status, "\(method) \(path) → \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return try #require(response.json, "not JSON: \(response.text)", sourceLocation: sourceLocation)
    }

    @discardableResult
    func create(_ path: String, _ object: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        try await send("POST", path, object, expect: 201, sourceLocation: sourceLocation)
    }

    func get(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        try await send("GET", path, expect: 200, sourceLocation: sourceLocation)
    }

    /// A PATCH with a JSON body of `contentType` that must succeed.
    @discardableResult
    func patch(_ path: String, _ patch: JSONValue, contentType: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        try await send("PATCH", path, patch, contentType: contentType, expect: 200, sourceLocation: sourceLocation)
    }

    /// Whether `path` answers 404.
    func isGone(_ path: String) async throws -> Bool {
        try await request("GET", path, json: nil).status == 404
    }
}

extension TestCluster {
    /// The store's newest revision.
    func revision() async throws -> Int64 { try await store.currentRevision() }

    /// Compacts the store's history up to now: older resource versions are gone.
    func compactEverything() async throws { try await store.compact(through: try await store.currentRevision()) }

    /// Runs `body` and checks the store's revision did not move: the request wrote nothing.
    func expectNoWrites(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async throws {
        let before = try await revision()
        try await body()
        let after = try await revision()
        #expect(after == before, "the store changed from revision \(before) to \(after)", sourceLocation: sourceLocation)
    }

    /// Runs `body` with a client for `user`, shut down afterwards.
    func withClient<T: Sendable>(user: String, groups: [String] = [], _ body: (PalisadeClient) async throws -> T) async throws -> T {
        try await using(try client(user: user, groups: groups), body)
    }
}

/// Reads a watch: the next `count` events, or with `count` nil every event until the server ends
/// the stream. Returns what arrived once `timeout` passes, so a missing event fails the caller's
/// expectations with the events that did arrive, rather than hanging.
func collect(_ stream: AsyncThrowingStream<JSONValue, any Error>, count: Int? = nil, timeout: Duration = .seconds(5)) async throws -> [JSONValue] {
    try await withThrowingTaskGroup(of: [JSONValue]?.self) { group in
        group.addTask {
            var events: [JSONValue] = []
            for try await event in stream {
                events.append(event)
                if events.count == count { break }
            }
            return events
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        while let result = try await group.next() {
            // The reader's events, or the deadline: then stop the reader and take what it has.
            group.cancelAll()
            if let events = result { return events }
        }
        return []
    }
}

/// `type` and `metadata.name` of each watch event, as `ADDED a`.
func summary(_ events: [JSONValue]) -> [String] {
    events.map { "\($0["type"]?.stringValue ?? "?") \($0["object"]?.name ?? "")" }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(within timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Runs `body` with `client`, then shuts the client down, whether `body` threw or not.
func using<T: Sendable>(_ client: PalisadeClient, _ body: (PalisadeClient) async throws -> T) async throws -> T {
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
