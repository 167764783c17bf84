/// A ResourceQuota's `spec.hard`: every amount must be a non-negative quantity.
enum ResourceQuotaRules {
    static func validate(_ quota: JSONValue) -> [APIError.Cause] {
        let path = FieldPath("spec", "hard")
        return (quota[path: ["spec", "hard"]]?.objectValue ?? [:]).sorted { $0.key < $1.key }.compactMap { name, value in
            let text = Quantity.text(of: value)
            guard let quantity = Quantity(text) else { return .invalid(path.key(name), value: text, ResourceRequirementsRules.quantityFormat) }
            return quantity < .zero ? .invalid(path.key(name), value: text, "must be greater than or equal to 0") : nil
        }
    }
}
