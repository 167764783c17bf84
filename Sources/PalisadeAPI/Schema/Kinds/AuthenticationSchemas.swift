/// authentication.k8s.io/v1: TokenReview and SelfSubjectReview (`kubectl auth whoami`).
extension Schemas {
    static let tokenReview = ObjectSchema.kind(
        "TokenReview",
        spec: ObjectSchema("TokenReviewSpec", [.string("token", 1), .strings("audiences", 2)]),
        status: ObjectSchema("TokenReviewStatus", [
            .boolean("authenticated", 1),
            .object("user", 2, userInfo),
            .strings("audiences", 4),
            .string("error", 3),
        ])
    )

    /// Has no spec: the subject is the caller.
    static let selfSubjectReview = ObjectSchema.kind("SelfSubjectReview", [
        .object("status", 2, ObjectSchema("SelfSubjectReviewStatus", [.object("userInfo", 1, userInfo)])),
    ])

    static let userInfo = ObjectSchema("UserInfo", [
        .string("username", 1),
        .string("uid", 2),
        .strings("groups", 3),
        .extraMap("extra", 4),
    ])
}
