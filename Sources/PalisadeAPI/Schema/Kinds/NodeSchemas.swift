/// core/v1 `Node`.
extension Schemas {
    static let node = ObjectSchema.kind("Node", spec: nodeSpec, status: nodeStatus)

    static let nodeSpec = ObjectSchema("NodeSpec", [
        .string("podCIDR", 1),
        .strings("podCIDRs", 7, .set),
        .string("providerID", 3),
        .boolean("unschedulable", 4),
        .list("taints", 5, taint),
        .object("configSource", 6, nodeConfigSource),
        .string("externalID", 2),
    ])

    static let nodeConfigSource = ObjectSchema("NodeConfigSource", [
        .object("configMap", 2, ObjectSchema("ConfigMapNodeConfigSource", [
            .string("namespace", 1),
            .string("name", 2),
            .string("uid", 3),
            .string("resourceVersion", 4),
            .string("kubeletConfigKey", 5),
        ])),
    ])

    static let nodeStatus = ObjectSchema("NodeStatus", [
        .quantityMap("capacity", 1),
        .quantityMap("allocatable", 2),
        .string("phase", 3),
        .list("conditions", 4, nodeCondition, .merge(key: "type")),
        .list("addresses", 5, ObjectSchema("NodeAddress", [.string("type", 1), .string("address", 2)]), .merge(key: "type")),
        .object("daemonEndpoints", 6, ObjectSchema("NodeDaemonEndpoints", [
            .object("kubeletEndpoint", 1, ObjectSchema("DaemonEndpoint", [.integer("Port", 1)])),
        ])),
        .object("nodeInfo", 7, nodeSystemInfo),
        .list("images", 8, ObjectSchema("ContainerImage", [.strings("names", 1), .integer("sizeBytes", 2)])),
        .strings("volumesInUse", 9),
        .list("volumesAttached", 10, ObjectSchema("AttachedVolume", [.string("name", 1), .string("devicePath", 2)])),
        .object("config", 11, ObjectSchema("NodeConfigStatus", [
            .object("assigned", 1, nodeConfigSource),
            .object("active", 2, nodeConfigSource),
            .object("lastKnownGood", 3, nodeConfigSource),
            .string("error", 4),
        ])),
        .list("runtimeHandlers", 12, ObjectSchema("NodeRuntimeHandler", [
            .string("name", 1),
            .object("features", 2, ObjectSchema("NodeRuntimeHandlerFeatures", [
                .boolean("recursiveReadOnlyMounts", 1),
                .boolean("userNamespaces", 2),
            ])),
        ])),
        .object("features", 13, ObjectSchema("NodeFeatures", [
            .boolean("supplementalGroupsPolicy", 1),
            .boolean("containerUlimits", 2),
        ])),
        .strings("declaredFeatures", 14),
    ])

    static let nodeCondition = ObjectSchema("NodeCondition", [
        .string("type", 1),
        .string("status", 2),
        .time("lastHeartbeatTime", 3),
        .time("lastTransitionTime", 4),
        .string("reason", 5),
        .string("message", 6),
    ])

    static let nodeSystemInfo = ObjectSchema("NodeSystemInfo", [
        .string("machineID", 1),
        .string("systemUUID", 2),
        .string("bootID", 3),
        .string("kernelVersion", 4),
        .string("osImage", 5),
        .string("containerRuntimeVersion", 6),
        .string("kubeletVersion", 7),
        .string("kubeProxyVersion", 8),
        .string("operatingSystem", 9),
        .string("architecture", 10),
        .object("swap", 11, ObjectSchema("NodeSwapStatus", [.integer("capacity", 1)])),
    ])
}
