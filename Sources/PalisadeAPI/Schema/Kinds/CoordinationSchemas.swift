/// coordination.k8s.io/v1 `Lease`. Its times are MicroTime (RFC 3339 with microseconds).
extension Schemas {
    static let lease = ObjectSchema.kind("Lease", spec: ObjectSchema("LeaseSpec", [
        .string("holderIdentity", 1),
        .integer("leaseDurationSeconds", 2),
        .microTime("acquireTime", 3),
        .microTime("renewTime", 4),
        .integer("leaseTransitions", 5),
        .string("strategy", 6),
        .string("preferredHolder", 7),
    ]))
}
