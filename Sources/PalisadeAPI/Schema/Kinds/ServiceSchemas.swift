/// core/v1 `Service`.
extension Schemas {
    static let service = ObjectSchema.kind("Service", spec: serviceSpec, status: serviceStatus)

    static let serviceSpec = ObjectSchema("ServiceSpec", [
        .list("ports", 1, servicePort, .merge(key: "port")),
        .stringMap("selector", 2),
        .string("clusterIP", 3),
        .strings("clusterIPs", 18),
        .string("type", 4),
        .strings("externalIPs", 5),
        .string("sessionAffinity", 7),
        .string("loadBalancerIP", 8),
        .strings("loadBalancerSourceRanges", 9),
        .string("externalName", 10),
        .string("externalTrafficPolicy", 11),
        .integer("healthCheckNodePort", 12),
        .boolean("publishNotReadyAddresses", 13),
        .object("sessionAffinityConfig", 14, ObjectSchema("SessionAffinityConfig", [
            .object("clientIP", 1, ObjectSchema("ClientIPConfig", [.integer("timeoutSeconds", 1)])),
        ])),
        .strings("ipFamilies", 19),
        .string("ipFamilyPolicy", 17),
        .boolean("allocateLoadBalancerNodePorts", 20),
        .string("loadBalancerClass", 21),
        .string("internalTrafficPolicy", 22),
        .string("trafficDistribution", 23),
    ])

    static let servicePort = ObjectSchema("ServicePort", [
        .string("name", 1),
        .string("protocol", 2),
        .string("appProtocol", 6),
        .integer("port", 3),
        .intOrString("targetPort", 4),
        .integer("nodePort", 5),
    ])

    static let serviceStatus = ObjectSchema("ServiceStatus", [
        .object("loadBalancer", 1, loadBalancerStatus),
        .list("conditions", 2, condition, .merge(key: "type")),
    ])

    static let loadBalancerStatus = ObjectSchema("LoadBalancerStatus", [
        .list("ingress", 1, ObjectSchema("LoadBalancerIngress", [
            .string("ip", 1),
            .string("hostname", 2),
            .string("ipMode", 3),
            .list("ports", 4, ObjectSchema("PortStatus", [
                .integer("port", 1),
                .string("protocol", 2),
                .string("error", 3),
            ])),
        ])),
    ])
}
