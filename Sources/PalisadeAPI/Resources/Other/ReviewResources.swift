/// Create-only review resources: nothing is stored, the answer is computed per request.
extension ServedResources {
    /// A review resource: version v1, only `create`; plural is the kind in lower case, plus "s".
    private static func review(_ group: String, _ kind: String, namespaced: Bool = false) -> ResourceDefinition {
        ResourceDefinition(group: group, version: "v1", kind: kind, plural: kind.lowercased() + "s", namespaced: namespaced, verbs: ["create"])
    }

    static let reviews = [
        review("authentication.k8s.io", "SelfSubjectReview"),
        review("authorization.k8s.io", "SelfSubjectAccessReview"),
        review("authorization.k8s.io", "SelfSubjectRulesReview"),
        review("authorization.k8s.io", "SubjectAccessReview"),
        review("authorization.k8s.io", "LocalSubjectAccessReview", namespaced: true),
    ]

    /// Kinds answered by a review handler rather than stored.
    public static let reviewKinds = Set(reviews.map(\.kind))
}
