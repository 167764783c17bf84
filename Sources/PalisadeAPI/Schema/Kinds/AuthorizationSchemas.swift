/// authorization.k8s.io/v1 access reviews.
extension Schemas {
    static let subjectAccessReview = ObjectSchema.kind(
        "SubjectAccessReview", spec: subjectAccessReviewSpec, status: subjectAccessReviewStatus
    )

    static let localSubjectAccessReview = ObjectSchema.kind(
        "LocalSubjectAccessReview", spec: subjectAccessReviewSpec, status: subjectAccessReviewStatus
    )

    static let selfSubjectAccessReview = ObjectSchema.kind(
        "SelfSubjectAccessReview",
        spec: ObjectSchema("SelfSubjectAccessReviewSpec", [
            .object("resourceAttributes", 1, resourceAttributes),
            .object("nonResourceAttributes", 2, nonResourceAttributes),
        ]),
        status: subjectAccessReviewStatus
    )

    static let selfSubjectRulesReview = ObjectSchema.kind(
        "SelfSubjectRulesReview",
        spec: ObjectSchema("SelfSubjectRulesReviewSpec", [.string("namespace", 1)]),
        status: subjectRulesReviewStatus
    )

    static let subjectAccessReviewSpec = ObjectSchema("SubjectAccessReviewSpec", [
        .object("resourceAttributes", 1, resourceAttributes),
        .object("nonResourceAttributes", 2, nonResourceAttributes),
        .string("user", 3),
        .strings("groups", 4),
        .extraMap("extra", 5),
        .string("uid", 6),
    ])

    static let resourceAttributes = ObjectSchema("ResourceAttributes", [
        .string("namespace", 1),
        .string("verb", 2),
        .string("group", 3),
        .string("version", 4),
        .string("resource", 5),
        .string("subresource", 6),
        .string("name", 7),
        .object("fieldSelector", 8, ObjectSchema("FieldSelectorAttributes", [
            .string("rawSelector", 1),
            .list("requirements", 2, requirement("FieldSelectorRequirement")),
        ])),
        .object("labelSelector", 9, ObjectSchema("LabelSelectorAttributes", [
            .string("rawSelector", 1),
            .list("requirements", 2, labelSelectorRequirement),
        ])),
    ])

    static let nonResourceAttributes = ObjectSchema("NonResourceAttributes", [.string("path", 1), .string("verb", 2)])

    static let subjectAccessReviewStatus = ObjectSchema("SubjectAccessReviewStatus", [
        .boolean("allowed", 1),
        .boolean("denied", 4),
        .string("reason", 2),
        .string("evaluationError", 3),
    ])

    static let subjectRulesReviewStatus = ObjectSchema("SubjectRulesReviewStatus", [
        .list("resourceRules", 1, ObjectSchema("ResourceRule", [
            .strings("verbs", 1),
            .strings("apiGroups", 2),
            .strings("resources", 3),
            .strings("resourceNames", 4),
        ])),
        .list("nonResourceRules", 2, ObjectSchema("NonResourceRule", [
            .strings("verbs", 1),
            .strings("nonResourceURLs", 2),
        ])),
        .boolean("incomplete", 3),
        .string("evaluationError", 4),
    ])
}
