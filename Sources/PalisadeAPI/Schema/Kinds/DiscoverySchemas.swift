/// discovery.k8s.io/v1 `EndpointSlice`.
extension Schemas {
    static let endpointSlice = ObjectSchema.kind("EndpointSlice", [
        .string("addressType", 4),
        .list("endpoints", 2, ObjectSchema("Endpoint", [
            .strings("addresses", 1),
            .object("conditions", 2, ObjectSchema("EndpointConditions", [
                .boolean("ready", 1),
                .boolean("serving", 2),
                .boolean("terminating", 3),
            ])),
            .string("hostname", 3),
            .object("targetRef", 4, objectReference),
            .stringMap("deprecatedTopology", 5),
            .string("nodeName", 6),
            .string("zone", 7),
            .object("hints", 8, ObjectSchema("EndpointHints", [
                .list("forZones", 1, ObjectSchema("ForZone", [.string("name", 1)])),
            ])),
        ])),
        .list("ports", 3, ObjectSchema("EndpointPort", [
            .string("name", 1),
            .string("protocol", 2),
            .integer("port", 3),
            .string("appProtocol", 4),
        ])),
    ])
}
