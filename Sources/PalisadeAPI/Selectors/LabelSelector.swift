import Foundation

/// A label selector, from its query-string form (`app=web,tier in (a,b),!legacy`) or from
/// a `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`).
public struct LabelSelector: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable {
        case equals = "="
        case notEquals = "!="
        case `in`
        case notIn = "notin"
        case exists
        case doesNotExist = "!"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    public struct Requirement: Sendable, Equatable {
        public var key: String
        public var op: Operator
        public var values: [String]

        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let value, let number = Int64(value), let bound = values.first.flatMap({ Int64($0) }) else { return false }
                return op == .greaterThan ? number > bound : number < bound
            }
        }
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) {
        self.requirements = requirements
    }

    /// Selects everything.
    public static let everything = LabelSelector()

    public var isEverything: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    public var description: String {
        requirements.map { requirement in
            let values = requirement.values.sorted()
            switch requirement.op {
            case .equals: return "\(requirement.key)=\(values.first ?? "")"
            case .notEquals: return "\(requirement.key)!=\(values.first ?? "")"
            case .in: return "\(requirement.key) in (\(values.joined(separator: ",")))"
            case .notIn: return "\(requirement.key) notin (\(values.joined(separator: ",")))"
            case .exists: return requirement.key
            case .doesNotExist: return "!\(requirement.key)"
            case .greaterThan: return "\(requirement.key)>\(values.first ?? "")"
            case .lessThan: return "\(requirement.key)<\(values.first ?? "")"
            }
        }.joined(separator: ",")
    }
}

extension LabelSelector {
    /// Parses the query-string syntax; errors name the offending part.
    public static func parse(_ text: String) throws(APIError) -> LabelSelector {
        var requirements: [Requirement] = []
        for part in try splitRequirements(text) {
            requirements.append(try parseRequirement(part))
        }
        return LabelSelector(requirements: requirements)
    }

    /// Splits on commas that are not inside parentheses.
    private static func splitRequirements(_ text: String) throws(APIError) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { throw invalid(text, "unbalanced parentheses") }
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        if depth != 0 { throw invalid(text, "unbalanced parentheses") }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func parseRequirement(_ part: String) throws(APIError) -> Requirement {
        let words = part.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count >= 2, ["in", "notin"].contains(words[1].lowercased()) {
            let key = words[0]
            let rest = words.dropFirst(2).joined(separator: " ")
            guard rest.hasPrefix("("), rest.hasSuffix(")") else { throw invalid(part, "values must be in parentheses") }
            let values = rest.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            try checkKey(key, part)
            for value in values { try checkValue(value, part) }
            return Requirement(key: key, op: words[1].lowercased() == "in" ? .in : .notIn, values: values)
        }
        for (symbol, op) in [("!=", Operator.notEquals), ("==", .equals), ("=", .equals), (">", .greaterThan), ("<", .lessThan)] {
            if let range = part.range(of: symbol) {
                let key = part[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let value = part[range.upperBound...].trimmingCharacters(in: .whitespaces)
                try checkKey(key, part)
                try checkValue(value, part)
                if op == .greaterThan || op == .lessThan, Int64(value) == nil { throw invalid(part, "value must be an integer") }
                return Requirement(key: key, op: op, values: [value])
            }
        }
        if part.hasPrefix("!") {
            let key = String(part.dropFirst()).trimmingCharacters(in: .whitespaces)
            try checkKey(key, part)
            return Requirement(key: key, op: .doesNotExist, values: [])
        }
        try checkKey(part, part)
        return Requirement(key: part, op: .exists, values: [])
    }

    private static func checkKey(_ key: String, _ part: String) throws(APIError) {
        if !NameRules.qualifiedNameErrors(key).isEmpty { throw invalid(part, "invalid label key \"\(key)\"") }
    }

    private static func checkValue(_ value: String, _ part: String) throws(APIError) {
        if !NameRules.labelValueErrors(value).isEmpty { throw invalid(part, "invalid label value \"\(value)\"") }
    }

    private static func invalid(_ text: String, _ detail: String) -> APIError {
        .badRequest("unable to parse requirement: \(detail) in \"\(text)\"")
    }
}

extension LabelSelector {
    /// Builds a selector from a `metav1.LabelSelector` object; nil or `{}` selects everything.
    public init(object: JSONValue?) throws(APIError) {
        var requirements: [Requirement] = []
        for (key, value) in (object?["matchLabels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            requirements.append(Requirement(key: key, op: .equals, values: [value.stringValue ?? ""]))
        }
        for expression in object?["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = expression["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let op: Operator
            switch expression["operator"]?.stringValue {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            default: throw .badRequest("invalid label selector operator in matchExpressions for key \"\(key)\"")
            }
            requirements.append(Requirement(key: key, op: op, values: values))
        }
        self.init(requirements: requirements)
    }
}
