import Foundation
import PalisadeAPI
import PalisadeAudit
import PalisadeClient

/// Prints events as a table (time, user, verb, resource, namespace/name, code, decision),
/// as one JSON EventList, or as JSON lines.
enum AuditPrinter {
    static func print(_ events: [JSONValue], format: AuditOutputFormat) {
        switch format {
        case .json:
            Swift.print(JSONSerializer.string(["kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": .array(events)]))
        case .jsonl:
            for event in events { Swift.print(JSONSerializer.string(event)) }
        case .table:
            Swift.print(TextTable.render([header] + events.map(row)))
        }
    }

    static let header = ["TIME", "USER", "VERB", "RESOURCE", "NAMESPACE/NAME", "CODE", "DECISION"]

    static func row(_ event: JSONValue) -> [String] {
        let reference = event["objectRef"]
        var resource = reference?["resource"]?.stringValue ?? event["requestURI"]?.stringValue ?? ""
        if let subresource = reference?["subresource"]?.stringValue { resource += "/" + subresource }
        if let group = reference?["apiGroup"]?.stringValue, !group.isEmpty { resource += "." + group }
        let namespace = reference?["namespace"]?.stringValue ?? ""
        let name = reference?["name"]?.stringValue ?? ""
        let place = namespace.isEmpty ? name : name.isEmpty ? namespace : namespace + "/" + name
        let user = event[path: ["user", "username"]]?.stringValue ?? ""
        let peer = event["sourceIPs"]?.arrayValue?.first?.stringValue ?? ""
        return [
            event["requestReceivedTimestamp"]?.stringValue ?? "",
            user.isEmpty ? "(\(peer))" : user,
            event["verb"]?.stringValue ?? "",
            resource.isEmpty ? "-" : resource,
            place.isEmpty ? "-" : place,
            event[path: ["responseStatus", "code"]]?.intValue.map(String.init) ?? "-",
            AuditQuery.decision(of: event).rawValue,
        ]
    }
}
