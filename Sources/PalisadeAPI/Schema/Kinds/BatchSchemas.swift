/// batch/v1 `Job`.
extension Schemas {
    static let job = ObjectSchema.kind("Job", spec: jobSpec, status: jobStatus)

    static let jobSpec = ObjectSchema("JobSpec", [
        .integer("parallelism", 1),
        .integer("completions", 2),
        .integer("activeDeadlineSeconds", 3),
        .object("podFailurePolicy", 11, podFailurePolicy),
        .object("successPolicy", 16, ObjectSchema("SuccessPolicy", [
            .list("rules", 1, ObjectSchema("SuccessPolicyRule", [
                .string("succeededIndexes", 1),
                .integer("succeededCount", 2),
            ])),
        ])),
        .integer("backoffLimit", 7),
        .integer("backoffLimitPerIndex", 12),
        .integer("maxFailedIndexes", 13),
        .object("selector", 4, labelSelector),
        .boolean("manualSelector", 5),
        .object("template", 6, podTemplateSpec),
        .integer("ttlSecondsAfterFinished", 8),
        .string("completionMode", 9),
        .boolean("suspend", 10),
        .string("podReplacementPolicy", 14),
        .string("managedBy", 15),
    ])

    static let podFailurePolicy = ObjectSchema("PodFailurePolicy", [
        .list("rules", 1, ObjectSchema("PodFailurePolicyRule", [
            .string("action", 1),
            .object("onExitCodes", 2, ObjectSchema("PodFailurePolicyOnExitCodesRequirement", [
                .string("containerName", 1),
                .string("operator", 2),
                .integers("values", 3),
            ])),
            .list("onPodConditions", 3, ObjectSchema("PodFailurePolicyOnPodConditionsPattern", [
                .string("type", 1),
                .string("status", 2),
            ])),
        ])),
    ])

    static let jobStatus = ObjectSchema("JobStatus", [
        .list("conditions", 1, probedCondition("JobCondition"), .merge(key: "type")),
        .time("startTime", 2),
        .time("completionTime", 3),
        .integer("active", 4),
        .integer("succeeded", 5),
        .integer("failed", 6),
        .integer("terminating", 11),
        .string("completedIndexes", 7),
        .string("failedIndexes", 10),
        .object("uncountedTerminatedPods", 8, ObjectSchema("UncountedTerminatedPods", [
            .strings("succeeded", 1),
            .strings("failed", 2),
        ])),
        .integer("ready", 9),
    ])
}
