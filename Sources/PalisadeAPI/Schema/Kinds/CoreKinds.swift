/// core/v1 (group "") top-level kinds, except Service, Node and the storage kinds,
/// which have files of their own.
extension Schemas {
    static let namespace = ObjectSchema.kind("Namespace", spec: namespaceSpec, status: namespaceStatus)

    static let namespaceSpec = ObjectSchema("NamespaceSpec", [.strings("finalizers", 1)])

    static let namespaceStatus = ObjectSchema("NamespaceStatus", [
        .string("phase", 1),
        .list("conditions", 2, namespaceCondition, .merge(key: "type")),
    ])

    static let namespaceCondition = ObjectSchema("NamespaceCondition", [
        .string("type", 1),
        .string("status", 2),
        .time("lastTransitionTime", 4),
        .string("reason", 5),
        .string("message", 6),
    ])

    static let pod = ObjectSchema.kind("Pod", spec: podSpec, status: podStatus)

    /// `pods/binding` and the deprecated `bindings` resource.
    static let binding = ObjectSchema.kind("Binding", [.object("target", 2, objectReference)])

    static let configMap = ObjectSchema.kind("ConfigMap", [
        .boolean("immutable", 4),
        .stringMap("data", 2),
        .bytesMap("binaryData", 3),
    ])

    static let secret = ObjectSchema.kind("Secret", [
        .boolean("immutable", 5),
        .bytesMap("data", 2),
        .stringMap("stringData", 4),
        .string("type", 3),
    ])

    static let serviceAccount = ObjectSchema.kind("ServiceAccount", [
        .list("secrets", 2, objectReference, .merge(key: "name")),
        .list("imagePullSecrets", 3, localObjectReference),
        .boolean("automountServiceAccountToken", 4),
    ])

    /// core/v1 `Event` (the events.k8s.io group is not served).
    static let event = ObjectSchema.kind("Event", [
        .object("involvedObject", 2, objectReference),
        .string("reason", 3),
        .string("message", 4),
        .object("source", 5, ObjectSchema("EventSource", [.string("component", 1), .string("host", 2)])),
        .time("firstTimestamp", 6),
        .time("lastTimestamp", 7),
        .integer("count", 8),
        .string("type", 9),
        .microTime("eventTime", 10),
        .object("series", 11, ObjectSchema("EventSeries", [.integer("count", 1), .microTime("lastObservedTime", 2)])),
        .string("action", 12),
        .object("related", 13, objectReference),
        .string("reportingComponent", 14),
        .string("reportingInstance", 15),
    ])

    static let endpoints = ObjectSchema.kind("Endpoints", [.list("subsets", 2, endpointSubset)])

    static let endpointSubset = ObjectSchema("EndpointSubset", [
        .list("addresses", 1, endpointAddress),
        .list("notReadyAddresses", 2, endpointAddress),
        .list("ports", 3, endpointPort),
    ])

    static let endpointAddress = ObjectSchema("EndpointAddress", [
        .string("ip", 1),
        .string("hostname", 3),
        .string("nodeName", 4),
        .object("targetRef", 2, objectReference),
    ])

    static let endpointPort = ObjectSchema("EndpointPort", [
        .string("name", 1),
        .integer("port", 2),
        .string("protocol", 3),
        .string("appProtocol", 4),
    ])

    static let resourceQuota = ObjectSchema.kind("ResourceQuota", spec: resourceQuotaSpec, status: resourceQuotaStatus)

    static let resourceQuotaSpec = ObjectSchema("ResourceQuotaSpec", [
        .quantityMap("hard", 1),
        .strings("scopes", 2),
        .object("scopeSelector", 3, ObjectSchema("ScopeSelector", [
            .list("matchExpressions", 1, ObjectSchema("ScopedResourceSelectorRequirement", [
                .string("scopeName", 1),
                .string("operator", 2),
                .strings("values", 3),
            ])),
        ])),
    ])

    static let resourceQuotaStatus = ObjectSchema("ResourceQuotaStatus", [
        .quantityMap("hard", 1),
        .quantityMap("used", 2),
    ])

    static let limitRange = ObjectSchema.kind("LimitRange", spec: ObjectSchema("LimitRangeSpec", [
        .list("limits", 1, limitRangeItem),
    ]))

    static let limitRangeItem = ObjectSchema("LimitRangeItem", [
        .string("type", 1),
        .quantityMap("max", 2),
        .quantityMap("min", 3),
        .quantityMap("default", 4),
        .quantityMap("defaultRequest", 5),
        .quantityMap("maxLimitRequestRatio", 6),
    ])
}
