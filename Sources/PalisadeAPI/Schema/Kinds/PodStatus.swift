/// core/v1 `PodStatus` and container statuses.
extension Schemas {
    static let podStatus = ObjectSchema("PodStatus", [
        .integer("observedGeneration", 17),
        .string("phase", 1),
        .list("conditions", 2, podCondition, .merge(key: "type")),
        .string("message", 3),
        .string("reason", 4),
        .string("nominatedNodeName", 11),
        .string("hostIP", 5),
        .list("hostIPs", 16, ipOnly("HostIP"), .merge(key: "ip")),
        .string("podIP", 6),
        .list("podIPs", 12, ipOnly("PodIP"), .merge(key: "ip")),
        .time("startTime", 7),
        .list("initContainerStatuses", 10, containerStatus),
        .list("containerStatuses", 8, containerStatus),
        .string("qosClass", 9),
        .list("ephemeralContainerStatuses", 13, containerStatus),
        .string("resize", 14),
        .list("resourceClaimStatuses", 15, podResourceClaimStatus, .merge(key: "name")),
        .object("extendedResourceClaimStatus", 18, podExtendedResourceClaimStatus),
        .quantityMap("allocatedResources", 19),
        .object("resources", 20, resourceRequirements),
    ])

    static let podCondition = ObjectSchema("PodCondition", [
        .string("type", 1),
        .integer("observedGeneration", 7),
        .string("status", 2),
        .time("lastProbeTime", 3),
        .time("lastTransitionTime", 4),
        .string("reason", 5),
        .string("message", 6),
    ])

    static let containerStatus = ObjectSchema("ContainerStatus", [
        .string("name", 1),
        .object("state", 2, containerState),
        .object("lastState", 3, containerState),
        .boolean("ready", 4),
        .integer("restartCount", 5),
        .string("image", 6),
        .string("imageID", 7),
        .string("containerID", 8),
        .boolean("started", 9),
        .quantityMap("allocatedResources", 10),
        .object("resources", 11, resourceRequirements),
        .list("volumeMounts", 12, volumeMountStatus, .merge(key: "mountPath")),
        .object("user", 13, containerUser),
        .list("allocatedResourcesStatus", 14, resourceStatus, .merge(key: "name")),
        .string("stopSignal", 15),
    ])

    static let containerState = ObjectSchema("ContainerState", [
        .object("waiting", 1, ObjectSchema("ContainerStateWaiting", [.string("reason", 1), .string("message", 2)])),
        .object("running", 2, ObjectSchema("ContainerStateRunning", [.time("startedAt", 1)])),
        .object("terminated", 3, containerStateTerminated),
    ])

    static let containerStateTerminated = ObjectSchema("ContainerStateTerminated", [
        .integer("exitCode", 1),
        .integer("signal", 2),
        .string("reason", 3),
        .string("message", 4),
        .time("startedAt", 5),
        .time("finishedAt", 6),
        .string("containerID", 7),
    ])

    static let volumeMountStatus = ObjectSchema("VolumeMountStatus", [
        .string("name", 1),
        .string("mountPath", 2),
        .boolean("readOnly", 3),
        .string("recursiveReadOnly", 4),
        .object("volumeStatus", 5, ObjectSchema("VolumeStatus", [
            .object("image", 1, ObjectSchema("ImageVolumeStatus", [.string("imageRef", 1)])),
        ])),
    ])

    static let containerUser = ObjectSchema("ContainerUser", [
        .object("linux", 1, ObjectSchema("LinuxContainerUser", [
            .integer("uid", 1),
            .integer("gid", 2),
            .integers("supplementalGroups", 3),
        ])),
    ])

    static let resourceStatus = ObjectSchema("ResourceStatus", [
        .string("name", 1),
        .list("resources", 2, ObjectSchema("ResourceHealth", [
            .string("resourceID", 1),
            .string("health", 2),
            .string("message", 6),
        ])),
    ])

    static let podResourceClaimStatus = ObjectSchema("PodResourceClaimStatus", [
        .string("name", 1),
        .string("resourceClaimName", 2),
    ])

    static let podExtendedResourceClaimStatus = ObjectSchema("PodExtendedResourceClaimStatus", [
        .list("requestMappings", 1, ObjectSchema("ContainerExtendedResourceRequest", [
            .string("containerName", 1),
            .string("resourceName", 2),
            .string("requestName", 3),
        ])),
        .string("resourceClaimName", 2),
    ])
}
