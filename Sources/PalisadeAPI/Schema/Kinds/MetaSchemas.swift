/// `meta/v1` types shared by every kind (apimachinery `pkg/apis/meta/v1`).
extension Schemas {
    static let objectMeta = ObjectSchema("ObjectMeta", [
        .string("name", 1),
        .string("generateName", 2),
        .string("namespace", 3),
        .string("selfLink", 4),
        .string("uid", 5),
        .string("resourceVersion", 6),
        .integer("generation", 7),
        .time("creationTimestamp", 8),
        .time("deletionTimestamp", 9),
        .integer("deletionGracePeriodSeconds", 10),
        .stringMap("labels", 11),
        .stringMap("annotations", 12),
        .list("ownerReferences", 13, ownerReference, .merge(key: "uid")),
        .strings("finalizers", 14, .set),
        .list("managedFields", 17, managedFieldsEntry),
    ])

    static let ownerReference = ObjectSchema("OwnerReference", [
        .string("apiVersion", 5),
        .string("kind", 1),
        .string("name", 3),
        .string("uid", 4),
        .boolean("controller", 6),
        .boolean("blockOwnerDeletion", 7),
    ])

    /// `fieldsV1` is a free-form JSON trie; in protobuf `FieldsV1{Raw}` has the layout of a RawExtension.
    static let managedFieldsEntry = ObjectSchema("ManagedFieldsEntry", [
        .string("manager", 1),
        .string("operation", 2),
        .string("apiVersion", 3),
        .time("time", 4),
        .string("fieldsType", 6),
        .any("fieldsV1", 7),
        .string("subresource", 8),
    ])

    static let labelSelector = ObjectSchema("LabelSelector", [
        .stringMap("matchLabels", 1),
        .list("matchExpressions", 2, labelSelectorRequirement),
    ])

    static let labelSelectorRequirement = requirement("LabelSelectorRequirement")

    /// `metav1.Condition`, used by Service and networking status conditions.
    static let condition = ObjectSchema("Condition", [
        .string("type", 1),
        .string("status", 2),
        .integer("observedGeneration", 3),
        .time("lastTransitionTime", 4),
        .string("reason", 5),
        .string("message", 6),
    ])

    static let preconditions = ObjectSchema("Preconditions", [.string("uid", 1), .string("resourceVersion", 2)])

    /// The body of a DELETE. kubectl sends it as JSON, often without `kind`.
    static let deleteOptions = ObjectSchema.typed("DeleteOptions", [
        .integer("gracePeriodSeconds", 1),
        .object("preconditions", 2, preconditions),
        .boolean("orphanDependents", 3),
        .string("propagationPolicy", 4),
        .strings("dryRun", 5),
        .boolean("ignoreStoreReadErrorWithClusterBreakingPotential", 6),
    ])
}
