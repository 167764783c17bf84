/// Typed access to the common parts of any object (`apiVersion`, `kind`, `metadata`),
/// reading and writing the underlying ``JSONValue``.
extension JSONValue {
    public var apiVersion: String? {
        get { self["apiVersion"]?.stringValue }
        set { self["apiVersion"] = newValue.map(JSONValue.string) }
    }

    public var kind: String? {
        get { self["kind"]?.stringValue }
        set { self["kind"] = newValue.map(JSONValue.string) }
    }

    public var metadata: JSONValue {
        get { self["metadata"] ?? .emptyObject }
        set { self["metadata"] = newValue }
    }

    public var name: String? {
        get { metadataString("name") }
        set { setMetadata("name", newValue.map(JSONValue.string)) }
    }

    public var generateName: String? { metadataString("generateName") }

    public var namespace: String? {
        get { metadataString("namespace") }
        set { setMetadata("namespace", newValue.map(JSONValue.string)) }
    }

    public var uid: String? {
        get { metadataString("uid") }
        set { setMetadata("uid", newValue.map(JSONValue.string)) }
    }

    public var resourceVersion: String? {
        get { metadataString("resourceVersion") }
        set { setMetadata("resourceVersion", newValue.map(JSONValue.string)) }
    }

    public var generation: Int64? {
        get { self[path: ["metadata", "generation"]]?.intValue }
        set { setMetadata("generation", newValue.map(JSONValue.int)) }
    }

    public var creationTimestamp: String? {
        get { metadataString("creationTimestamp") }
        set { setMetadata("creationTimestamp", newValue.map(JSONValue.string)) }
    }

    public var deletionTimestamp: String? {
        get { metadataString("deletionTimestamp") }
        set { setMetadata("deletionTimestamp", newValue.map(JSONValue.string)) }
    }

    public var labels: [String: String] {
        get { stringMap("labels") }
        set { setMetadata("labels", newValue.isEmpty ? nil : .object(newValue.mapValues(JSONValue.string))) }
    }

    public var annotations: [String: String] {
        get { stringMap("annotations") }
        set { setMetadata("annotations", newValue.isEmpty ? nil : .object(newValue.mapValues(JSONValue.string))) }
    }

    public var finalizers: [String] {
        get { self[path: ["metadata", "finalizers"]]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set { setMetadata("finalizers", newValue.isEmpty ? nil : .array(newValue.map(JSONValue.string))) }
    }

    public var ownerReferences: [JSONValue] {
        self[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
    }

    private func metadataString(_ field: String) -> String? {
        self[path: ["metadata", field]]?.stringValue
    }

    private func stringMap(_ field: String) -> [String: String] {
        (self[path: ["metadata", field]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    private mutating func setMetadata(_ field: String, _ value: JSONValue?) {
        var meta = metadata.objectValue ?? [:]
        meta[field] = value
        self["metadata"] = .object(meta)
    }
}
