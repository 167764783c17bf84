import Foundation
import PalisadeAPI

extension AuditQuery {
    /// The query as URL parameters, as kauth sends it and the server reads it back.
    public var parameters: [(String, String)] {
        var parameters: [(String, String)] = []
        for (name, value) in [("user", user), ("group", group), ("verb", verb), ("resource", resource), ("namespace", namespace), ("name", name)] {
            if let value { parameters.append((name, value)) }
        }
        if let decision { parameters.append(("decision", decision.rawValue)) }
        if let code { parameters.append(("code", String(code))) }
        if let since { parameters.append(("since", Timestamp.formatMicro(since))) }
        if let until { parameters.append(("until", Timestamp.formatMicro(until))) }
        if stages != AuditQuery().stages { parameters.append(("stage", stages.map(\.rawValue).sorted().joined(separator: ","))) }
        return parameters
    }

    /// Reads a query from parameters (`value(name)` gives one); a bad value names the parameter.
    public init(parameter value: (String) -> String?, now: Date = Date()) throws(AuditError) {
        self.init()
        user = value("user")
        group = value("group")
        verb = value("verb")
        resource = value("resource")
        namespace = value("namespace")
        name = value("name")
        if let text = value("decision") {
            guard let decision = Decision(rawValue: text) else { throw AuditError("decision: must be allow or deny, not \"\(text)\"") }
            self.decision = decision
        }
        if let text = value("code") {
            guard let code = Int(text), (100...599).contains(code) else { throw AuditError("code: must be an HTTP status code, not \"\(text)\"") }
            self.code = code
        }
        since = try value("since").map { text throws(AuditError) in try Self.time(text, parameter: "since", now: now) }
        until = try value("until").map { text throws(AuditError) in try Self.time(text, parameter: "until", now: now) }
        if let text = value("stage") {
            var stages: Set<AuditStage> = []
            for name in text.split(separator: ",") {
                guard let stage = AuditStage(rawValue: String(name)) else { throw AuditError("stage: unknown stage \"\(name)\"") }
                stages.insert(stage)
            }
            self.stages = stages
        }
    }

    /// An RFC 3339 time, or a duration back from `now`: `90s`, `15m`, `1h`, `7d`.
    public static func time(_ text: String, parameter: String, now: Date = Date()) throws(AuditError) -> Date {
        if let date = Timestamp.parse(text) { return date }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount >= 0 else {
            throw AuditError("\(parameter): use a time (2026-11-28T10:00:00Z) or a duration (90s, 15m, 1h, 7d), not \"\(text)\"")
        }
        return now.addingTimeInterval(-amount * unit)
    }
}
