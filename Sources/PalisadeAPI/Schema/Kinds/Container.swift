/// core/v1 `Container`, `EphemeralContainer` and the types only containers use.
extension Schemas {
    /// The members of `Container`; `EphemeralContainerCommon` has exactly the same ones.
    static let containerFields: [FieldSchema] = [
        .string("name", 1),
        .string("image", 2),
        .strings("command", 3),
        .strings("args", 4),
        .string("workingDir", 5),
        .list("ports", 6, containerPort, .merge(key: "containerPort")),
        .list("envFrom", 19, envFromSource),
        .list("env", 7, envVar, .merge(key: "name")),
        .object("resources", 8, resourceRequirements),
        .list("resizePolicy", 23, containerResizePolicy),
        .string("restartPolicy", 24),
        .list("restartPolicyRules", 25, containerRestartRule),
        .list("volumeMounts", 9, volumeMount, .merge(key: "mountPath")),
        .list("volumeDevices", 21, volumeDevice, .merge(key: "devicePath")),
        .object("livenessProbe", 10, probe),
        .object("readinessProbe", 11, probe),
        .object("startupProbe", 22, probe),
        .object("lifecycle", 12, lifecycle),
        .string("terminationMessagePath", 13),
        .string("terminationMessagePolicy", 20),
        .string("imagePullPolicy", 14),
        .object("securityContext", 15, securityContext),
        .boolean("stdin", 16),
        .boolean("stdinOnce", 17),
        .boolean("tty", 18),
    ]

    static let container = ObjectSchema("Container", containerFields)

    static let ephemeralContainerCommon = ObjectSchema("EphemeralContainerCommon", containerFields)

    /// JSON flattens `ephemeralContainerCommon` into the ephemeral container itself.
    static let ephemeralContainer = ObjectSchema.embedding(
        "EphemeralContainer", ephemeralContainerCommon, at: 1, [.string("targetContainerName", 2)]
    )

    static let containerPort = ObjectSchema("ContainerPort", [
        .string("name", 1),
        .integer("hostPort", 2),
        .integer("containerPort", 3),
        .string("protocol", 4),
        .string("hostIP", 5),
    ])

    static let envVar = ObjectSchema("EnvVar", [
        .string("name", 1),
        .string("value", 2),
        .object("valueFrom", 3, envVarSource),
    ])

    static let envVarSource = ObjectSchema("EnvVarSource", [
        .object("fieldRef", 1, objectFieldSelector),
        .object("resourceFieldRef", 2, resourceFieldSelector),
        .object("configMapKeyRef", 3, configMapKeySelector),
        .object("secretKeyRef", 4, secretKeySelector),
        .object("fileKeyRef", 5, fileKeySelector),
    ])

    static let envFromSource = ObjectSchema("EnvFromSource", [
        .string("prefix", 1),
        .object("configMapRef", 2, configMapEnvSource),
        .object("secretRef", 3, secretEnvSource),
    ])

    static let resourceRequirements = ObjectSchema("ResourceRequirements", [
        .quantityMap("limits", 1),
        .quantityMap("requests", 2),
        .list("claims", 3, resourceClaim),
    ])

    static let resourceClaim = ObjectSchema("ResourceClaim", [.string("name", 1), .string("request", 2)])

    static let volumeMount = ObjectSchema("VolumeMount", [
        .string("name", 1),
        .boolean("readOnly", 2),
        .string("recursiveReadOnly", 7),
        .string("mountPath", 3),
        .string("subPath", 4),
        .string("mountPropagation", 5),
        .string("subPathExpr", 6),
    ])

    static let volumeDevice = ObjectSchema("VolumeDevice", [.string("name", 1), .string("devicePath", 2)])

    static let containerResizePolicy = ObjectSchema("ContainerResizePolicy", [
        .string("resourceName", 1),
        .string("restartPolicy", 2),
    ])

    static let containerRestartRule = ObjectSchema("ContainerRestartRule", [
        .string("action", 1),
        .object("exitCodes", 2, containerRestartRuleOnExitCodes),
    ])

    static let containerRestartRuleOnExitCodes = ObjectSchema("ContainerRestartRuleOnExitCodes", [
        .string("operator", 1),
        .integers("values", 2),
    ])
}
