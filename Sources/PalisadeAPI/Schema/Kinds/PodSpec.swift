/// core/v1 `PodSpec`, `PodTemplateSpec` and the small types only the pod spec uses.
extension Schemas {
    static let podSpec = ObjectSchema("PodSpec", [
        .list("volumes", 1, volume, .merge(key: "name")),
        .list("initContainers", 20, container, .merge(key: "name")),
        .list("containers", 2, container, .merge(key: "name")),
        .list("ephemeralContainers", 34, ephemeralContainer, .merge(key: "name")),
        .string("restartPolicy", 3),
        .integer("terminationGracePeriodSeconds", 4),
        .integer("activeDeadlineSeconds", 5),
        .string("dnsPolicy", 6),
        .stringMap("nodeSelector", 7),
        .string("serviceAccountName", 8),
        .string("serviceAccount", 9),
        .boolean("automountServiceAccountToken", 21),
        .string("nodeName", 10),
        .boolean("hostNetwork", 11),
        .boolean("hostPID", 12),
        .boolean("hostIPC", 13),
        .boolean("shareProcessNamespace", 27),
        .object("securityContext", 14, podSecurityContext),
        .list("imagePullSecrets", 15, localObjectReference, .merge(key: "name")),
        .string("hostname", 16),
        .string("subdomain", 17),
        .object("affinity", 18, affinity),
        .string("schedulerName", 19),
        .list("tolerations", 22, toleration),
        .list("hostAliases", 23, hostAlias, .merge(key: "ip")),
        .string("priorityClassName", 24),
        .integer("priority", 25),
        .object("dnsConfig", 26, podDNSConfig),
        .list("readinessGates", 28, ObjectSchema("PodReadinessGate", [.string("conditionType", 1)])),
        .string("runtimeClassName", 29),
        .boolean("enableServiceLinks", 30),
        .string("preemptionPolicy", 31),
        .quantityMap("overhead", 32),
        .list("topologySpreadConstraints", 33, topologySpreadConstraint, .merge(key: "topologyKey")),
        .boolean("setHostnameAsFQDN", 35),
        .object("os", 36, nameOnly("PodOS")),
        .boolean("hostUsers", 37),
        .list("schedulingGates", 38, nameOnly("PodSchedulingGate"), .merge(key: "name")),
        .list("resourceClaims", 39, podResourceClaim, .merge(key: "name")),
        .object("resources", 40, resourceRequirements),
        .string("hostnameOverride", 41),
        .object("workloadRef", 42, workloadReference),
    ])

    static let podTemplateSpec = ObjectSchema("PodTemplateSpec", [
        .object("metadata", 1, objectMeta),
        .object("spec", 2, podSpec),
    ])

    static let podDNSConfig = ObjectSchema("PodDNSConfig", [
        .strings("nameservers", 1),
        .strings("searches", 2),
        .list("options", 3, ObjectSchema("PodDNSConfigOption", [.string("name", 1), .string("value", 2)])),
    ])

    static let hostAlias = ObjectSchema("HostAlias", [.string("ip", 1), .strings("hostnames", 2)])

    static let podResourceClaim = ObjectSchema("PodResourceClaim", [
        .string("name", 1),
        .string("resourceClaimName", 3),
        .string("resourceClaimTemplateName", 4),
    ])

    static let workloadReference = ObjectSchema("WorkloadReference", [
        .string("name", 1),
        .string("podGroup", 2),
        .string("podGroupReplicaKey", 3),
    ])
}
