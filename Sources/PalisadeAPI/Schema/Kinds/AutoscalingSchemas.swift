/// autoscaling/v1 `Scale`, the body of every `*/scale` subresource.
extension Schemas {
    static let scale = ObjectSchema.kind(
        "Scale",
        spec: ObjectSchema("ScaleSpec", [.integer("replicas", 1)]),
        status: ObjectSchema("ScaleStatus", [.integer("replicas", 1), .string("selector", 2)])
    )
}
