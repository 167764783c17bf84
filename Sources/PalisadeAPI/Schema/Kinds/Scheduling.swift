/// core/v1 scheduling constraints: affinity, node selectors, tolerations, taints, spreading.
extension Schemas {
    static let affinity = ObjectSchema("Affinity", [
        .object("nodeAffinity", 1, nodeAffinity),
        .object("podAffinity", 2, podAffinityRules("PodAffinity")),
        .object("podAntiAffinity", 3, podAffinityRules("PodAntiAffinity")),
    ])

    static let nodeAffinity = ObjectSchema("NodeAffinity", [
        .object("requiredDuringSchedulingIgnoredDuringExecution", 1, nodeSelector),
        .list("preferredDuringSchedulingIgnoredDuringExecution", 2, preferredSchedulingTerm),
    ])

    static let nodeSelector = ObjectSchema("NodeSelector", [.list("nodeSelectorTerms", 1, nodeSelectorTerm)])

    static let nodeSelectorTerm = ObjectSchema("NodeSelectorTerm", [
        .list("matchExpressions", 1, nodeSelectorRequirement),
        .list("matchFields", 2, nodeSelectorRequirement),
    ])

    static let nodeSelectorRequirement = requirement("NodeSelectorRequirement")

    static let preferredSchedulingTerm = ObjectSchema("PreferredSchedulingTerm", [
        .integer("weight", 1),
        .object("preference", 2, nodeSelectorTerm),
    ])

    /// `PodAffinity` and `PodAntiAffinity` have the same two rule lists.
    static func podAffinityRules(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [
            .list("requiredDuringSchedulingIgnoredDuringExecution", 1, podAffinityTerm),
            .list("preferredDuringSchedulingIgnoredDuringExecution", 2, weightedPodAffinityTerm),
        ])
    }

    static let podAffinityTerm = ObjectSchema("PodAffinityTerm", [
        .object("labelSelector", 1, labelSelector),
        .strings("namespaces", 2),
        .string("topologyKey", 3),
        .object("namespaceSelector", 4, labelSelector),
        .strings("matchLabelKeys", 5),
        .strings("mismatchLabelKeys", 6),
    ])

    static let weightedPodAffinityTerm = ObjectSchema("WeightedPodAffinityTerm", [
        .integer("weight", 1),
        .object("podAffinityTerm", 2, podAffinityTerm),
    ])

    static let toleration = ObjectSchema("Toleration", [
        .string("key", 1),
        .string("operator", 2),
        .string("value", 3),
        .string("effect", 4),
        .integer("tolerationSeconds", 5),
    ])

    static let taint = ObjectSchema("Taint", [
        .string("key", 1),
        .string("value", 2),
        .string("effect", 3),
        .time("timeAdded", 4),
    ])

    static let topologySpreadConstraint = ObjectSchema("TopologySpreadConstraint", [
        .integer("maxSkew", 1),
        .string("topologyKey", 2),
        .string("whenUnsatisfiable", 3),
        .object("labelSelector", 4, labelSelector),
        .integer("minDomains", 5),
        .string("nodeAffinityPolicy", 6),
        .string("nodeTaintsPolicy", 7),
        .strings("matchLabelKeys", 8),
    ])
}
