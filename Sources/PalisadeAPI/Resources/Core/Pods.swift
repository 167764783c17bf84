import Foundation

extension ServedResources {
    static let pods = ResourceDefinition(
        group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"], categories: ["all"],
        subresources: [.status, .binding, .log],
        columns: [
            TableColumn("Ready", description: "The aggregate readiness state of this pod for accepting traffic.", cell: { pod, _ in
                let statuses = pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []
                let total = pod[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
                return .string("\(statuses.filter { $0["ready"]?.boolValue == true }.count)/\(total)")
            }),
            TableColumn("Status", description: "The aggregate status of the containers in this pod.", cell: { pod, _ in
                .string(PodStatusText.of(pod))
            }),
            TableColumn("Restarts", description: "The number of times the containers in this pod have been restarted.", cell: { pod, _ in
                let statuses = pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []
                return .string(String(statuses.reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }))
            }),
            .age,
            TableColumn("IP", priority: 1, cell: { pod, _ in .string(pod[path: ["status", "podIP"]]?.stringValue ?? "<none>") }),
            TableColumn("Node", priority: 1, cell: { pod, _ in .string(pod[path: ["spec", "nodeName"]]?.stringValue ?? "<none>") }),
            TableColumn("Nominated Node", priority: 1, cell: { pod, _ in
                .string(pod[path: ["status", "nominatedNodeName"]]?.stringValue ?? "<none>")
            }),
            TableColumn("Readiness Gates", priority: 1, cell: { pod, _ in
                let gates = pod[path: ["spec", "readinessGates"]]?.arrayValue ?? []
                return .string(gates.isEmpty ? "<none>" : "0/\(gates.count)")
            }),
        ],
        selectableFields: [
            "spec.nodeName": { $0[path: ["spec", "nodeName"]]?.stringValue ?? "" },
            "spec.restartPolicy": { $0[path: ["spec", "restartPolicy"]]?.stringValue },
            "spec.schedulerName": { $0[path: ["spec", "schedulerName"]]?.stringValue },
            "spec.serviceAccountName": { $0[path: ["spec", "serviceAccountName"]]?.stringValue },
            "status.phase": { $0[path: ["status", "phase"]]?.stringValue },
            "status.podIP": { $0[path: ["status", "podIP"]]?.stringValue },
            "status.nominatedNodeName": { $0[path: ["status", "nominatedNodeName"]]?.stringValue },
        ],
        applyDefaults: { pod in
            guard var spec = pod["spec"], spec.objectValue != nil else { return }
            PodSpecRules.applyDefaults(&spec)
            pod["spec"] = spec
        },
        validate: { pod in PodSpecRules.validate(pod["spec"], at: FieldPath("spec")) },
        validateUpdate: { new, old in
            // Only images (and a few scheduling fields) of a running pod may change, as in Kubernetes.
            var newSpec = new["spec"] ?? .emptyObject
            var oldSpec = old["spec"] ?? .emptyObject
            for field in ["containers", "initContainers"] {
                newSpec[field] = newSpec[field]?.arrayValue.map { .array($0.map { c in var c = c; c["image"] = nil; return c }) }
                oldSpec[field] = oldSpec[field]?.arrayValue.map { .array($0.map { c in var c = c; c["image"] = nil; return c }) }
            }
            for field in ["activeDeadlineSeconds", "tolerations", "schedulingGates"] {
                newSpec[field] = nil
                oldSpec[field] = nil
            }
            guard !newSpec.semanticallyEquals(oldSpec) else { return [] }
            return [.forbidden(FieldPath("spec"), "pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.schedulingGates`")]
        },
        initialStatus: { pod in
            pod["status"] = ["phase": "Pending", "qosClass": .string(PodStatusText.qosClass(pod))]
        },
        returnsDeletedObject: true
    )
}

/// The STATUS column of `kubectl get pods`.
enum PodStatusText {
    static func of(_ pod: JSONValue) -> String {
        if pod.deletionTimestamp != nil { return "Terminating" }
        if let reason = pod[path: ["status", "reason"]]?.stringValue, !reason.isEmpty { return reason }
        for status in pod[path: ["status", "containerStatuses"]]?.arrayValue ?? [] {
            if let waiting = status[path: ["state", "waiting", "reason"]]?.stringValue, !waiting.isEmpty { return waiting }
            if let terminated = status[path: ["state", "terminated", "reason"]]?.stringValue, !terminated.isEmpty { return terminated }
        }
        return pod[path: ["status", "phase"]]?.stringValue ?? "Pending"
    }

    /// Guaranteed when every container's requests equal its limits, BestEffort when none set any.
    static func qosClass(_ pod: JSONValue) -> String {
        let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
        let resources = containers.map { $0["resources"] ?? .emptyObject }
        let anySet = resources.contains { !($0["requests"]?.objectValue ?? [:]).isEmpty || !($0["limits"]?.objectValue ?? [:]).isEmpty }
        if !anySet { return "BestEffort" }
        let guaranteed = resources.allSatisfy { resource in
            guard let limits = resource["limits"]?.objectValue, limits["cpu"] != nil, limits["memory"] != nil else { return false }
            let requests = resource["requests"]?.objectValue ?? limits
            return ["cpu", "memory"].allSatisfy { requests[$0] == nil || requests[$0] == limits[$0] }
        }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
