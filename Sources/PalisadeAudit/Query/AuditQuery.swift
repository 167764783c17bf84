import Foundation
import PalisadeAPI

/// Which events an auditor asks for. Every field that is set must match (a user or group
/// matches the authenticated user and the one it impersonated); by default only
/// each request's final event (ResponseComplete, or Panic) is returned, so one request is
/// one row.
public struct AuditQuery: Sendable, Equatable {
    public enum Decision: String, Sendable {
        case allow
        case deny
    }

    public var user: String?
    public var group: String?
    public var verb: String?
    /// `pods`, `pods/log`, or with a group `deployments.apps`.
    public var resource: String?
    public var namespace: String?
    public var name: String?
    public var decision: Decision?
    public var code: Int?
    public var since: Date?
    public var until: Date?
    /// Stages to return; empty returns every stage.
    public var stages: Set<AuditStage> = [.responseComplete, .panic]

    public init() {}

    public func matches(_ event: JSONValue) -> Bool {
        if !stages.isEmpty && !stages.contains(where: { $0.rawValue == event["stage"]?.stringValue }) { return false }
        if let user, !Self.actors(of: event).contains(where: { $0["username"]?.stringValue == user }) { return false }
        if let group, !Self.actors(of: event).contains(where: { ($0["groups"]?.arrayValue ?? []).contains(.string(group)) }) { return false }
        if let verb, event["verb"]?.stringValue != verb { return false }
        if let resource, !Self.resource(resource, matches: event["objectRef"]) { return false }
        if let namespace, event[path: ["objectRef", "namespace"]]?.stringValue ?? "" != namespace { return false }
        if let name, event[path: ["objectRef", "name"]]?.stringValue != name { return false }
        if let code, event[path: ["responseStatus", "code"]]?.intValue != Int64(code) { return false }
        if let decision, Self.decision(of: event) != decision { return false }
        if since != nil || until != nil {
            guard let time = Self.time(of: event) else { return false }
            if let since, time < since { return false }
            if let until, time > until { return false }
        }
        return true
    }

    /// Who a request was by: the authenticated user and, when impersonating, whom it acted as.
    static func actors(of event: JSONValue) -> [JSONValue] {
        [event["user"], event["impersonatedUser"]].compactMap { $0 }
    }

    /// Denied: refused by authorization (or impersonation), or not authenticated.
    public static func decision(of event: JSONValue) -> Decision {
        let refused = event[path: ["annotations", "authorization.k8s.io/decision"]]?.stringValue == "forbid"
            || event[path: ["responseStatus", "code"]]?.intValue == 401
        return refused ? .deny : .allow
    }

    public static func time(of event: JSONValue) -> Date? {
        event["requestReceivedTimestamp"]?.stringValue.flatMap(Timestamp.parse)
    }

    private static func resource(_ wanted: String, matches reference: JSONValue?) -> Bool {
        guard let reference, let resource = reference["resource"]?.stringValue else { return false }
        let subresource = reference["subresource"]?.stringValue ?? ""
        let group = reference["apiGroup"]?.stringValue ?? ""
        let (path, wantedGroup): (Substring, Substring?) = {
            guard let dot = wanted.firstIndex(of: ".") else { return (wanted[...], nil) }
            return (wanted[..<dot], wanted[wanted.index(after: dot)...])
        }()
        if let wantedGroup, wantedGroup != group { return false }
        let parts = path.split(separator: "/", maxSplits: 1)
        guard parts.first.map(String.init) == resource else { return false }
        return parts.count == 1 || String(parts[1]) == subresource
    }
}
