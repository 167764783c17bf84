import Foundation

/// What makes a LimitRange unusable, as Kubernetes' validation words it: quantities that do
/// not parse, unknown types, defaults on a `Pod` item, and bounds that contradict each other.
public enum LimitRangeRules {
    static let types = ["Container", "Pod", "PersistentVolumeClaim"]

    static func validate(_ limitRange: JSONValue) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        for (index, item) in (limitRange[path: ["spec", "limits"]]?.arrayValue ?? []).enumerated() {
            let path = FieldPath("spec", "limits").index(index)
            let type = item["type"]?.stringValue ?? ""
            if !types.contains(type) {
                causes.append(.notSupported(path.child("type"), value: type, supported: types))
            }
            var bounds: [String: [String: Quantity]] = [:]
            for field in ["min", "max", "default", "defaultRequest", "maxLimitRequestRatio"] {
                for (resource, value) in item[field]?.objectValue ?? [:] {
                    let text = Quantity.text(of: value)
                    guard let quantity = Quantity(text) else {
                        causes.append(.invalid(path.child(field).key(resource), value: text, ResourceRequirementsRules.quantityFormat))
                        continue
                    }
                    bounds[resource, default: [:]][field] = quantity
                }
            }
            if type == "Pod" {
                for field in ["default", "defaultRequest"] where !(item[field]?.objectValue ?? [:]).isEmpty {
                    causes.append(.forbidden(path.child(field), "may not be specified when `type` is 'Pod'"))
                }
            }
            for (resource, values) in bounds.sorted(by: { $0.key < $1.key }) {
                causes += contradictions(values, resource: resource, path: path)
            }
        }
        return causes
    }

    /// min ≤ defaultRequest ≤ default ≤ max, and a ratio of at least 1.
    private static func contradictions(_ values: [String: Quantity], resource: String, path: FieldPath) -> [APIError.Cause] {
        let order: [(lower: String, upper: String, words: (String, String))] = [
            ("min", "max", ("min value", "max value")),
            ("min", "defaultRequest", ("min value", "default request value")),
            ("defaultRequest", "max", ("default request value", "max value")),
            ("defaultRequest", "default", ("default request value", "default limit value")),
            ("min", "default", ("min value", "default value")),
            ("default", "max", ("default value", "max value")),
        ]
        var causes: [APIError.Cause] = []
        for rule in order {
            guard let lower = values[rule.lower], let upper = values[rule.upper], lower > upper else { continue }
            causes.append(.invalid(
                path.child(rule.lower).key(resource), value: lower.description,
                "\(rule.words.0) \(lower) is greater than \(rule.words.1) \(upper)"
            ))
        }
        if let ratio = values["maxLimitRequestRatio"], ratio.value < 1 {
            causes.append(.invalid(path.child("maxLimitRequestRatio").key(resource), value: ratio.description, "ratio \(ratio) is less than 1"))
        }
        return causes
    }
}
