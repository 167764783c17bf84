/// apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet.
extension Schemas {
    static let deployment = ObjectSchema.kind("Deployment", spec: deploymentSpec, status: deploymentStatus)

    static let deploymentSpec = ObjectSchema("DeploymentSpec", [
        .integer("replicas", 1),
        .object("selector", 2, labelSelector),
        .object("template", 3, podTemplateSpec),
        .object("strategy", 4, ObjectSchema("DeploymentStrategy", [
            .string("type", 1),
            .object("rollingUpdate", 2, surgeLimits("RollingUpdateDeployment")),
        ])),
        .integer("minReadySeconds", 5),
        .integer("revisionHistoryLimit", 6),
        .boolean("paused", 7),
        .integer("progressDeadlineSeconds", 9),
        .string("podReplacementPolicy", 10),
    ])

    static let deploymentStatus = ObjectSchema("DeploymentStatus", [
        .integer("observedGeneration", 1),
        .integer("replicas", 2),
        .integer("updatedReplicas", 3),
        .integer("readyReplicas", 7),
        .integer("availableReplicas", 4),
        .integer("unavailableReplicas", 5),
        .integer("terminatingReplicas", 9),
        .list("conditions", 6, ObjectSchema("DeploymentCondition", [
            .string("type", 1),
            .string("status", 2),
            .time("lastUpdateTime", 6),
            .time("lastTransitionTime", 7),
            .string("reason", 4),
            .string("message", 5),
        ]), .merge(key: "type")),
        .integer("collisionCount", 8),
    ])

    static let replicaSet = ObjectSchema.kind("ReplicaSet", spec: replicaSetSpec, status: replicaSetStatus)

    static let replicaSetSpec = ObjectSchema("ReplicaSetSpec", [
        .integer("replicas", 1),
        .integer("minReadySeconds", 4),
        .object("selector", 2, labelSelector),
        .object("template", 3, podTemplateSpec),
    ])

    static let replicaSetStatus = ObjectSchema("ReplicaSetStatus", [
        .integer("replicas", 1),
        .integer("fullyLabeledReplicas", 2),
        .integer("readyReplicas", 4),
        .integer("availableReplicas", 5),
        .integer("terminatingReplicas", 7),
        .integer("observedGeneration", 3),
        .list("conditions", 6, transitionCondition("ReplicaSetCondition"), .merge(key: "type")),
    ])

    static let statefulSet = ObjectSchema.kind("StatefulSet", spec: statefulSetSpec, status: statefulSetStatus)

    static let statefulSetSpec = ObjectSchema("StatefulSetSpec", [
        .integer("replicas", 1),
        .object("selector", 2, labelSelector),
        .object("template", 3, podTemplateSpec),
        .list("volumeClaimTemplates", 4, persistentVolumeClaim),
        .string("serviceName", 5),
        .string("podManagementPolicy", 6),
        .object("updateStrategy", 7, ObjectSchema("StatefulSetUpdateStrategy", [
            .string("type", 1),
            .object("rollingUpdate", 2, ObjectSchema("RollingUpdateStatefulSetStrategy", [
                .integer("partition", 1),
                .intOrString("maxUnavailable", 2),
            ])),
        ])),
        .integer("revisionHistoryLimit", 8),
        .integer("minReadySeconds", 9),
        .object("persistentVolumeClaimRetentionPolicy", 10, ObjectSchema(
            "StatefulSetPersistentVolumeClaimRetentionPolicy", [.string("whenDeleted", 1), .string("whenScaled", 2)]
        )),
        .object("ordinals", 11, ObjectSchema("StatefulSetOrdinals", [.integer("start", 1)])),
    ])

    static let statefulSetStatus = ObjectSchema("StatefulSetStatus", [
        .integer("observedGeneration", 1),
        .integer("replicas", 2),
        .integer("readyReplicas", 3),
        .integer("currentReplicas", 4),
        .integer("updatedReplicas", 5),
        .string("currentRevision", 6),
        .string("updateRevision", 7),
        .integer("collisionCount", 9),
        .list("conditions", 10, transitionCondition("StatefulSetCondition"), .merge(key: "type")),
        .integer("availableReplicas", 11),
    ])

    static let daemonSet = ObjectSchema.kind("DaemonSet", spec: daemonSetSpec, status: daemonSetStatus)

    static let daemonSetSpec = ObjectSchema("DaemonSetSpec", [
        .object("selector", 1, labelSelector),
        .object("template", 2, podTemplateSpec),
        .object("updateStrategy", 3, ObjectSchema("DaemonSetUpdateStrategy", [
            .string("type", 1),
            .object("rollingUpdate", 2, surgeLimits("RollingUpdateDaemonSet")),
        ])),
        .integer("minReadySeconds", 4),
        .integer("revisionHistoryLimit", 6),
    ])

    static let daemonSetStatus = ObjectSchema("DaemonSetStatus", [
        .integer("currentNumberScheduled", 1),
        .integer("numberMisscheduled", 2),
        .integer("desiredNumberScheduled", 3),
        .integer("numberReady", 4),
        .integer("observedGeneration", 5),
        .integer("updatedNumberScheduled", 6),
        .integer("numberAvailable", 7),
        .integer("numberUnavailable", 8),
        .integer("collisionCount", 9),
        .list("conditions", 10, transitionCondition("DaemonSetCondition"), .merge(key: "type")),
    ])
}
