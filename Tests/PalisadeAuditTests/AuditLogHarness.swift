import Crypto
import Foundation
import Logging
import PalisadeAPI
import ServiceLifecycle

@testable import PalisadeAudit

/// A log in a fresh directory, its writer running for the length of `body`.
struct AuditLogHarness {
    let directory: String
    var path: String { directory + "/audit/audit.log" }
    var keysDirectory: String { directory + "/keys" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var keys: AuditKeys { get throws { try AuditKeys.loadOrCreate(directory: keysDirectory) } }

    func configuration(_ adjust: (inout AuditLogConfiguration) -> Void = { _ in }) -> AuditLogConfiguration {
        var configuration = AuditLogConfiguration(path: path)
        configuration.retryInterval = .milliseconds(20)
        adjust(&configuration)
        return configuration
    }

    /// Runs a writer over the log until `body` returns, then shuts it down (final checkpoint).
    func run<T: Sendable>(
        _ adjust: (inout AuditLogConfiguration) -> Void = { _ in }, _ body: @Sendable (AuditLog) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "audit-test")
        logger.logLevel = .critical
        let log = try AuditLog(configuration: configuration(adjust), keys: try keys, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: log)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body(log)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// Writes `count` events for `user`, concurrently, each durable.
    static func write(_ count: Int, to log: AuditLog, user: String = "alice") async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for index in 0..<count {
                tasks.addTask { try await log.record(event(index, user: user), durable: true) }
            }
            try await tasks.waitForAll()
        }
    }

    static func event(_ index: Int, user: String = "alice", verb: String = "create", resource: String = "configmaps", namespace: String = "team-a") -> AuditEvent {
        var event = AuditEvent(
            level: .metadata, auditID: UUID().uuidString, stage: .responseComplete, requestURI: "/api/v1/namespaces/\(namespace)/\(resource)",
            verb: verb, user: .init(username: user, groups: ["dev", "system:authenticated"]), sourceIPs: ["127.0.0.1"],
            requestReceivedTimestamp: Date()
        )
        event.objectRef = .init(resource: resource, namespace: namespace, name: "object-\(index)", apiGroup: "", apiVersion: "v1", subresource: "")
        event.responseStatus = ["metadata": .emptyObject, "code": 201]
        event.annotations["authorization.k8s.io/decision"] = "allow"
        return event
    }

    func lines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func rewrite(_ lines: [String]) throws {
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }

    func verify(checkpoint: AuditCheckpoint? = nil) throws -> AuditVerification {
        let keys = try keys
        return AuditVerifier(key: keys.chain).verify(files: AuditLogFiles(path: path).all(), checkpoint: checkpoint, checkpointKey: keys.signing.publicKey)
    }
}
