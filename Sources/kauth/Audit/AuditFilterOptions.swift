import ArgumentParser
import Foundation
import PalisadeAudit

/// The filters every audit query shares; all that are given must match.
struct AuditFilterOptions: ParsableArguments {
    @Option(help: "Only requests by this user.") var user: String?
    @Option(help: "Only requests by members of this group.") var group: String?
    @Option(help: "Only this verb (get, list, watch, create, update, patch, delete, ...).") var verb: String?
    @Option(help: "Only this resource: pods, pods/log, deployments.apps.") var resource: String?
    @Option(name: .shortAndLong, help: "Only this namespace.") var namespace: String?
    @Option(help: "Only objects of this name.") var name: String?
    @Option(help: "Only allowed or only denied requests: allow or deny.") var decision: String?
    @Option(help: "Only answers with this HTTP status code.") var code: Int?
    @Option(help: "Since a time (2026-11-28T10:00:00Z) or a duration ago (30m, 1h, 7d).") var since: String?
    @Option(help: "Until a time or a duration ago.") var until: String?
    @Option(help: "Stages to show, comma-separated (default ResponseComplete,Panic).") var stage: String?

    func query(now: Date = Date()) throws -> AuditQuery {
        let values: [String: String] = [
            "user": user, "group": group, "verb": verb, "resource": resource, "namespace": namespace, "name": name,
            "decision": decision, "code": code.map(String.init), "since": since, "until": until, "stage": stage,
        ].compactMapValues { $0 }
        do {
            return try AuditQuery(parameter: { values[$0] }, now: now)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

enum AuditOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl
}
