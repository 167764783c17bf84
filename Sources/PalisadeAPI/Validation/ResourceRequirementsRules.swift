import Foundation

/// A container's `resources`: every quantity must parse and be non-negative, and no request
/// may exceed its limit, as Kubernetes validates them (LimitRanger and ResourceQuota count
/// on it).
enum ResourceRequirementsRules {
    static let quantityFormat = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    static func validate(_ resources: JSONValue?, at path: FieldPath) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        var parsed: [String: [String: Quantity]] = [:]
        for field in ["limits", "requests"] {
            for (name, value) in (resources?[field]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let fieldPath = path.child(field).key(name)
                let text = Quantity.text(of: value)
                guard let quantity = Quantity(text) else {
                    causes.append(.invalid(fieldPath, value: text, quantityFormat))
                    continue
                }
                guard quantity >= .zero else {
                    causes.append(.invalid(fieldPath, value: text, "must be greater than or equal to 0"))
                    continue
                }
                parsed[field, default: [:]][name] = quantity
            }
        }
        for (name, request) in (parsed["requests"] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let limit = parsed["limits"]?[name], request > limit else { continue }
            causes.append(.invalid(path.child("requests"), value: request.description, "must be less than or equal to \(name) limit of \(limit)"))
        }
        return causes
    }
}
