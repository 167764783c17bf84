import Foundation

/// A field selector (`metadata.name=web,status.phase!=Running`): equality tests on the
/// fields a resource lets clients select on.
public struct FieldSelector: Sendable, Equatable {
    public struct Requirement: Sendable, Equatable {
        public var field: String
        public var value: String
        public var negated: Bool
    }

    public var requirements: [Requirement]

    public static let everything = FieldSelector(requirements: [])

    public static func parse(_ text: String) throws(APIError) -> FieldSelector {
        var requirements: [Requirement] = []
        for raw in text.split(separator: ",") {
            let part = raw.trimmingCharacters(in: .whitespaces)
            if part.isEmpty { continue }
            var matched = false
            for (symbol, negated) in [("!=", true), ("==", false), ("=", false)] {
                if let range = part.range(of: symbol) {
                    let field = part[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                    let value = part[range.upperBound...].trimmingCharacters(in: .whitespaces)
                    requirements.append(Requirement(field: field, value: value, negated: negated))
                    matched = true
                    break
                }
            }
            if !matched { throw .badRequest("invalid field selector: '\(part)' is not in 'key=value' format") }
        }
        return FieldSelector(requirements: requirements)
    }

    /// The exact value required for `field`, when the selector pins one (used to narrow reads).
    public func requiredValue(of field: String) -> String? {
        requirements.first { $0.field == field && !$0.negated }?.value
    }

    /// Whether the object's fields, as `fields` extracts them, satisfy every requirement.
    public func matches(_ fields: (String) -> String?) -> Bool {
        requirements.allSatisfy { requirement in
            let value = fields(requirement.field) ?? ""
            return requirement.negated ? value != requirement.value : value == requirement.value
        }
    }
}
