import Foundation

/// apps/v1 and batch/v1: kinds that carry a pod template.
extension ServedResources {
    static let deployments = ResourceDefinition(
        group: "apps", version: "v1", kind: "Deployment", plural: "deployments", shortNames: ["deploy"], categories: ["all"],
        subresources: [.status, .scale],
        columns: [
            TableColumn("Ready", cell: Cells.ready(["status", "readyReplicas"], of: ["spec", "replicas"])),
            TableColumn("Up-to-date", type: "integer", cell: Cells.int("status", "updatedReplicas")),
            TableColumn("Available", type: "integer", cell: Cells.int("status", "availableReplicas")),
            .age,
        ] + WorkloadRules.templateColumns,
        applyDefaults: { object in
            WorkloadRules.defaultTemplate(&object)
            WorkloadRules.setSpecDefault(&object, "replicas", 1)
            WorkloadRules.setSpecDefault(&object, "revisionHistoryLimit", 10)
            WorkloadRules.setSpecDefault(&object, "progressDeadlineSeconds", 600)
            WorkloadRules.setSpecDefault(&object, "strategy", ["type": "RollingUpdate"])
            if object[path: ["spec", "strategy", "type"]]?.stringValue == "RollingUpdate",
                object[path: ["spec", "strategy", "rollingUpdate"]] == nil
            {
                object[path: ["spec", "strategy", "rollingUpdate"]] = ["maxSurge": "25%", "maxUnavailable": "25%"]
            }
        },
        validate: { WorkloadRules.validate($0) },
        validateUpdate: WorkloadRules.selectorIsImmutable,
        scale: .standard
    )

    static let replicaSets = ResourceDefinition(
        group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], categories: ["all"],
        subresources: [.status, .scale],
        columns: [
            TableColumn("Desired", type: "integer", cell: Cells.int("spec", "replicas")),
            TableColumn("Current", type: "integer", cell: Cells.int("status", "replicas")),
            TableColumn("Ready", type: "integer", cell: Cells.int("status", "readyReplicas")),
            .age,
        ] + WorkloadRules.templateColumns,
        applyDefaults: { object in
            WorkloadRules.defaultTemplate(&object)
            WorkloadRules.setSpecDefault(&object, "replicas", 1)
        },
        validate: { WorkloadRules.validate($0) },
        validateUpdate: WorkloadRules.selectorIsImmutable,
        scale: .standard
    )

    static let statefulSets = ResourceDefinition(
        group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"], categories: ["all"],
        subresources: [.status, .scale],
        columns: [
            TableColumn("Ready", cell: Cells.ready(["status", "readyReplicas"], of: ["spec", "replicas"])),
            .age,
        ] + WorkloadRules.templateColumns.prefix(2),
        applyDefaults: { object in
            WorkloadRules.defaultTemplate(&object)
            WorkloadRules.setSpecDefault(&object, "replicas", 1)
            WorkloadRules.setSpecDefault(&object, "podManagementPolicy", "OrderedReady")
            WorkloadRules.setSpecDefault(&object, "revisionHistoryLimit", 10)
            WorkloadRules.setSpecDefault(&object, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
            WorkloadRules.setSpecDefault(&object, "persistentVolumeClaimRetentionPolicy", ["whenDeleted": "Retain", "whenScaled": "Retain"])
        },
        validate: { WorkloadRules.validate($0) },
        validateUpdate: WorkloadRules.selectorIsImmutable,
        scale: .standard
    )

    static let daemonSets = ResourceDefinition(
        group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"], categories: ["all"],
        subresources: [.status],
        columns: [
            TableColumn("Desired", type: "integer", cell: Cells.int("status", "desiredNumberScheduled")),
            TableColumn("Current", type: "integer", cell: Cells.int("status", "currentNumberScheduled")),
            TableColumn("Ready", type: "integer", cell: Cells.int("status", "numberReady")),
            TableColumn("Up-to-date", type: "integer", cell: Cells.int("status", "updatedNumberScheduled")),
            TableColumn("Available", type: "integer", cell: Cells.int("status", "numberAvailable")),
            TableColumn("Node Selector", cell: { object, _ in
                let selector = object[path: ["spec", "template", "spec", "nodeSelector"]]?.objectValue ?? [:]
                return .string(selector.isEmpty ? "<none>" : selector.keys.sorted().map { "\($0)=\(selector[$0]?.stringValue ?? "")" }.joined(separator: ","))
            }),
            .age,
        ],
        applyDefaults: { object in
            WorkloadRules.defaultTemplate(&object)
            WorkloadRules.setSpecDefault(&object, "revisionHistoryLimit", 10)
            WorkloadRules.setSpecDefault(&object, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
        },
        validate: { WorkloadRules.validate($0) },
        validateUpdate: WorkloadRules.selectorIsImmutable
    )

    static let jobs = ResourceDefinition(
        group: "batch", version: "v1", kind: "Job", plural: "jobs", categories: ["all"], subresources: [.status],
        columns: [
            TableColumn("Status", cell: { job, _ in
                let conditions = job[path: ["status", "conditions"]]?.arrayValue ?? []
                let done = conditions.first { ["Complete", "Failed"].contains($0["type"]?.stringValue ?? "") && $0["status"]?.stringValue == "True" }
                return .string(done?["type"]?.stringValue ?? "Running")
            }),
            TableColumn("Completions", cell: { job, _ in
                .string("\(job[path: ["status", "succeeded"]]?.intValue ?? 0)/\(job[path: ["spec", "completions"]]?.intValue ?? 1)")
            }),
            .age,
        ],
        applyDefaults: { object in
            WorkloadRules.defaultTemplate(&object, restartPolicy: "Never")
            WorkloadRules.setSpecDefault(&object, "parallelism", 1)
            WorkloadRules.setSpecDefault(&object, "completions", 1)
            WorkloadRules.setSpecDefault(&object, "backoffLimit", 6)
            WorkloadRules.setSpecDefault(&object, "completionMode", "NonIndexed")
            WorkloadRules.setSpecDefault(&object, "suspend", false)
            // A Job without a selector selects its own pods by a generated label, as Kubernetes does.
            if object[path: ["spec", "selector"]] == nil, let uid = object.uid {
                object[path: ["spec", "selector"]] = ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]]
                var labels = object[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]
                labels["batch.kubernetes.io/controller-uid"] = .string(uid)
                labels["batch.kubernetes.io/job-name"] = .string(object.name ?? "")
                labels["controller-uid"] = .string(uid)
                labels["job-name"] = .string(object.name ?? "")
                object[path: ["spec", "template", "metadata", "labels"]] = .object(labels)
            }
        },
        validate: { job in
            var causes = PodSpecRules.validate(job[path: ["spec", "template", "spec"]], at: FieldPath("spec", "template", "spec"))
            let policies = ["OnFailure", "Never"]
            if let policy = job[path: ["spec", "template", "spec", "restartPolicy"]]?.stringValue, !policies.contains(policy) {
                causes.append(.notSupported(FieldPath("spec", "template", "spec", "restartPolicy"), value: policy, supported: policies))
            }
            return causes
        },
        validateUpdate: WorkloadRules.selectorIsImmutable
    )
}

/// Rules shared by the kinds that carry a pod template and a selector.
enum WorkloadRules {
    /// The `-o wide` columns of kinds with a pod template: containers, images, selector.
    static let templateColumns = [
        TableColumn("Containers", priority: 1, cell: Cells.containerField("name", in: ["spec", "template", "spec"])),
        TableColumn("Images", priority: 1, cell: Cells.containerField("image", in: ["spec", "template", "spec"])),
        TableColumn("Selector", priority: 1, cell: Cells.selector("spec", "selector")),
    ]

    static func setSpecDefault(_ object: inout JSONValue, _ field: String, _ value: JSONValue) {
        if object[path: ["spec", field]] == nil { object[path: ["spec", field]] = value }
    }

    static func defaultTemplate(_ object: inout JSONValue, restartPolicy: String = "Always") {
        guard var spec = object[path: ["spec", "template", "spec"]], spec.objectValue != nil else { return }
        PodSpecRules.applyDefaults(&spec, isTemplate: true, restartPolicy: restartPolicy)
        object[path: ["spec", "template", "spec"]] = spec
    }

    static func validate(_ object: JSONValue) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let selectorPath = FieldPath("spec", "selector")
        let selectorObject = object[path: ["spec", "selector"]]
        let templateLabels = (object[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        if selectorObject == nil || selectorObject?.objectValue?.isEmpty == true {
            causes.append(.required(selectorPath))
        } else {
            do {
                let selector = try LabelSelector(object: selectorObject)
                if selector.isEverything {
                    causes.append(.invalid(selectorPath, value: nil, "empty selector is invalid for deployment"))
                } else if !selector.matches(templateLabels) {
                    causes.append(.invalid(
                        FieldPath("spec", "template", "metadata", "labels"), value: nil, "`selector` does not match template `labels`"
                    ))
                }
            } catch {
                causes.append(.invalid(selectorPath, value: nil, error.message))
            }
        }
        if let replicas = object[path: ["spec", "replicas"]]?.intValue, replicas < 0 {
            causes.append(.invalid(FieldPath("spec", "replicas"), value: String(replicas), "must be greater than or equal to 0"))
        }
        causes += PodSpecRules.validate(object[path: ["spec", "template", "spec"]], at: FieldPath("spec", "template", "spec"))
        return causes
    }

    static func selectorIsImmutable(_ new: JSONValue, _ old: JSONValue) -> [APIError.Cause] {
        guard let oldSelector = old[path: ["spec", "selector"]], let newSelector = new[path: ["spec", "selector"]],
            !oldSelector.semanticallyEquals(newSelector)
        else { return [] }
        return [.invalid(FieldPath("spec", "selector"), value: nil, "field is immutable")]
    }
}
