/// Validation of `metadata` common to all kinds.
public enum MetadataRules {
    static let totalAnnotationSizeLimit = 256 * 1024

    public static func validate(_ object: JSONValue, nameRule: NameRule, namespaced: Bool) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let namePath = FieldPath("metadata", "name")
        let name = object.name ?? ""
        if name.isEmpty {
            causes.append(.required(namePath, "name or generateName is required"))
        } else {
            causes += nameErrors(name, rule: nameRule).map { .invalid(namePath, value: name, $0) }
        }
        if namespaced, (object.namespace ?? "").isEmpty {
            causes.append(.required(FieldPath("metadata", "namespace")))
        }
        for (key, value) in object.labels.sorted(by: { $0.key < $1.key }) {
            let path = FieldPath("metadata", "labels")
            causes += NameRules.qualifiedNameErrors(key).map { .invalid(path, value: key, $0) }
            causes += NameRules.labelValueErrors(value).map { .invalid(path.key(key), value: value, $0) }
        }
        var annotationBytes = 0
        for (key, value) in object.annotations.sorted(by: { $0.key < $1.key }) {
            causes += NameRules.qualifiedNameErrors(key.lowercased()).map { .invalid(FieldPath("metadata", "annotations"), value: key, $0) }
            annotationBytes += key.utf8.count + value.utf8.count
        }
        if annotationBytes > totalAnnotationSizeLimit {
            causes.append(.tooLong(FieldPath("metadata", "annotations"), max: totalAnnotationSizeLimit))
        }
        for (index, finalizer) in object.finalizers.enumerated() where !NameRules.qualifiedNameErrors(finalizer).isEmpty {
            causes.append(.invalid(FieldPath("metadata", "finalizers").index(index), value: finalizer, "name is neither a standard finalizer name nor is it fully qualified"))
        }
        return causes
    }

    public static func nameErrors(_ name: String, rule: NameRule) -> [String] {
        switch rule {
        case .subdomain: return NameRules.dns1123SubdomainErrors(name)
        case .label: return NameRules.dns1123LabelErrors(name)
        case .pathSegment:
            if name == "." || name == ".." { return ["may not be '\(name)'"] }
            if name.contains("/") || name.contains("%") { return ["may not contain '/' or '%'"] }
            return []
        }
    }
}
