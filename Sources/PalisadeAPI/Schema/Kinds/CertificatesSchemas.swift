/// certificates.k8s.io/v1 `CertificateSigningRequest`. `request` and `certificate` are bytes
/// (base64 text in JSON).
extension Schemas {
    static let certificateSigningRequest = ObjectSchema.kind(
        "CertificateSigningRequest",
        spec: ObjectSchema("CertificateSigningRequestSpec", [
            .bytes("request", 1),
            .string("signerName", 7),
            .integer("expirationSeconds", 8),
            .strings("usages", 5),
            .string("username", 2),
            .string("uid", 3),
            .strings("groups", 4),
            .extraMap("extra", 6),
        ]),
        status: ObjectSchema("CertificateSigningRequestStatus", [
            .list("conditions", 1, ObjectSchema("CertificateSigningRequestCondition", [
                .string("type", 1),
                .string("status", 6),
                .string("reason", 2),
                .string("message", 3),
                .time("lastUpdateTime", 4),
                .time("lastTransitionTime", 5),
            ])),
            .bytes("certificate", 2),
        ])
    )
}
