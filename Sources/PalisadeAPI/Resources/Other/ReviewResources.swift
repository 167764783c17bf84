/// Create-only review resources: nothing is stored, the answer is computed per request.
extension ServedResources {
    static let selfSubjectReviews = ResourceDefinition(
        group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews",
        namespaced: false, verbs: ["create"]
    )

    static let selfSubjectAccessReviews = ResourceDefinition(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews",
        namespaced: false, verbs: ["create"]
    )

    static let selfSubjectRulesReviews = ResourceDefinition(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews",
        namespaced: false, verbs: ["create"]
    )

    static let subjectAccessReviews = ResourceDefinition(
        group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview", plural: "subjectaccessreviews",
        namespaced: false, verbs: ["create"]
    )

    static let localSubjectAccessReviews = ResourceDefinition(
        group: "authorization.k8s.io", version: "v1", kind: "LocalSubjectAccessReview", plural: "localsubjectaccessreviews",
        verbs: ["create"]
    )

    /// Kinds answered by a review handler rather than stored.
    public static let reviewKinds: Set<String> = [
        "SelfSubjectReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview", "LocalSubjectAccessReview",
    ]
}
