import Foundation

/// The core (`v1`) resources other than Pods.
extension ServedResources {
    static let namespaces = ResourceDefinition(
        group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"],
        subresources: [.status, .finalize], nameRule: .label,
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
        columns: [TableColumn("Status", description: "The phase of the namespace", cell: Cells.string("status", "phase")), .age],
        selectableFields: ["status.phase": { $0[path: ["status", "phase"]]?.stringValue }],
        applyDefaults: { object in
            if object[path: ["spec", "finalizers"]] == nil { object[path: ["spec", "finalizers"]] = ["kubernetes"] }
            var labels = object.labels
            if let name = object.name, labels["kubernetes.io/metadata.name"] != name {
                labels["kubernetes.io/metadata.name"] = name
                object.labels = labels
            }
        },
        initialStatus: { namespace in
            namespace["status"] = ["phase": "Active"]
            // Whatever the body says, a new namespace's content is removed before it goes.
            var finalizers = namespace[path: ["spec", "finalizers"]]?.arrayValue ?? []
            if !finalizers.contains("kubernetes") { finalizers.append("kubernetes") }
            namespace[path: ["spec", "finalizers"]] = .array(finalizers)
        }
    )

    static let configMaps = ResourceDefinition(
        group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"],
        columns: [TableColumn("Data", type: "integer", cell: { object, _ in
            .int(Int64((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)))
        }), .age],
        validate: { object in
            DataKeys.validate(object, fields: ["data", "binaryData"])
        },
        validateUpdate: Immutability.dataIsImmutableWhenMarked
    )

    static let secrets = ResourceDefinition(
        group: "", version: "v1", kind: "Secret", plural: "secrets",
        columns: [TableColumn("Type", cell: Cells.string("type")), TableColumn("Data", type: "integer", cell: Cells.count("data")), .age],
        selectableFields: ["type": { $0["type"]?.stringValue }],
        applyDefaults: { object in
            if object["type"]?.stringValue?.isEmpty ?? true { object["type"] = "Opaque" }
            // stringData is write-only: it is merged into data and never stored.
            if let stringData = object["stringData"]?.objectValue {
                var data = object["data"]?.objectValue ?? [:]
                for (key, value) in stringData {
                    data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString())
                }
                object["data"] = .object(data)
                object["stringData"] = nil
            }
        },
        validate: { object in
            var causes = DataKeys.validate(object, fields: ["data"])
            for (key, value) in object["data"]?.objectValue ?? [:] {
                if let text = value.stringValue, Data(base64Encoded: text) == nil {
                    // The value is secret: name the key, never echo the value.
                    causes.append(.invalid(FieldPath("data").key(key), value: nil, "must be base64-encoded"))
                }
            }
            return causes
        },
        validateUpdate: { new, old in
            var causes = Immutability.dataIsImmutableWhenMarked(new, old)
            if let oldType = old["type"]?.stringValue, new["type"]?.stringValue != oldType {
                causes.append(.invalid(FieldPath("type"), value: new["type"]?.stringValue, "field is immutable"))
            }
            return causes
        }
    )

    static let serviceAccounts = ResourceDefinition(
        group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"],
        columns: [TableColumn("Secrets", type: "integer", cell: Cells.count("secrets")), .age],
        returnsDeletedObject: true
    )

    static let services = ResourceDefinition(
        group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"], categories: ["all"],
        subresources: [.status], nameRule: .label,
        columns: [
            TableColumn("Type", cell: Cells.string("spec", "type")),
            TableColumn("Cluster-IP", cell: Cells.string("spec", "clusterIP")),
            TableColumn("External-IP", cell: { object, _ in
                let ips = object[path: ["spec", "externalIPs"]]?.arrayValue?.compactMap(\.stringValue) ?? []
                return .string(ips.isEmpty ? "<none>" : ips.joined(separator: ","))
            }),
            TableColumn("Port(s)", cell: { object, _ in
                let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
                return .string(ports.isEmpty ? "<none>" : ports.map { port in
                    let number = port["port"]?.intValue ?? 0
                    let node = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
                    return "\(number)\(node)/\(port["protocol"]?.stringValue ?? "TCP")"
                }.joined(separator: ","))
            }),
            .age,
            TableColumn("Selector", priority: 1, cell: { object, _ in
                let selector = object[path: ["spec", "selector"]]?.objectValue ?? [:]
                return .string(selector.isEmpty ? "<none>" : selector.keys.sorted().map { "\($0)=\(selector[$0]?.stringValue ?? "")" }.joined(separator: ","))
            }),
        ],
        applyDefaults: { object in
            PodSpecRules.setIfMissing(&object[path: ["spec"]].orEmptyObject, "type", "ClusterIP")
            PodSpecRules.setIfMissing(&object[path: ["spec"]].orEmptyObject, "sessionAffinity", "None")
            if let ports = object[path: ["spec", "ports"]]?.arrayValue {
                object[path: ["spec", "ports"]] = .array(ports.map { port in
                    var port = port
                    PodSpecRules.setIfMissing(&port, "protocol", "TCP")
                    if port["targetPort"] == nil, let number = port["port"] { port["targetPort"] = number }
                    return port
                })
            }
        },
        validate: { object in
            var causes: [APIError.Cause] = []
            let types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
            if let type = object[path: ["spec", "type"]]?.stringValue, !types.contains(type) {
                causes.append(.notSupported(FieldPath("spec", "type"), value: type, supported: types))
            }
            for (index, port) in (object[path: ["spec", "ports"]]?.arrayValue ?? []).enumerated() {
                let path = FieldPath("spec", "ports").index(index).child("port")
                guard let number = port["port"]?.intValue else {
                    causes.append(.required(path))
                    continue
                }
                if !(1...65535).contains(number) { causes.append(.invalid(path, value: String(number), "must be between 1 and 65535, inclusive")) }
            }
            return causes
        },
        validateUpdate: { new, old in
            // Given once at creation; a replacement without it would silently drop it.
            guard let oldIP = old[path: ["spec", "clusterIP"]]?.stringValue, !oldIP.isEmpty else { return [] }
            let newIP = new[path: ["spec", "clusterIP"]]?.stringValue ?? ""
            guard newIP != oldIP else { return [] }
            return [.invalid(FieldPath("spec", "clusterIP"), value: newIP, "field is immutable")]
        },
        returnsDeletedObject: true
    )

    static let nodes = ResourceDefinition(
        group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false, shortNames: ["no"], subresources: [.status],
        columns: [
            TableColumn("Status", cell: { object, _ in
                let ready = (object[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }
                let status = ready?["status"]?.stringValue == "True" ? "Ready" : (ready == nil ? "Unknown" : "NotReady")
                return .string(object[path: ["spec", "unschedulable"]]?.boolValue == true ? "\(status),SchedulingDisabled" : status)
            }),
            TableColumn("Roles", cell: { object, _ in
                let roles = object.labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst(24)) }.sorted()
                return .string(roles.isEmpty ? "<none>" : roles.joined(separator: ","))
            }),
            .age,
            TableColumn("Version", cell: Cells.string("status", "nodeInfo", "kubeletVersion")),
        ],
        selectableFields: ["spec.unschedulable": { $0[path: ["spec", "unschedulable"]]?.boolValue == true ? "true" : "false" }],
        applyDefaults: { node in
            // Evictions count from when a NoExecute taint was added; the server stamps it.
            guard let taints = node[path: ["spec", "taints"]]?.arrayValue,
                taints.contains(where: { $0["effect"] == "NoExecute" && $0["timeAdded"] == nil })
            else { return }
            let now = JSONValue.string(Timestamp.format(Date()))
            node[path: ["spec", "taints"]] = .array(taints.map { taint in
                var taint = taint
                if taint["effect"] == "NoExecute" && taint["timeAdded"] == nil { taint["timeAdded"] = now }
                return taint
            })
        },
        keepsStatusOnCreate: true
    )

    static let events = ResourceDefinition(
        group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"],
        columns: [
            TableColumn("Type", cell: Cells.string("type")),
            TableColumn("Reason", cell: Cells.string("reason")),
            TableColumn("Object", cell: { object, _ in
                .string("\((object[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased())/\(object[path: ["involvedObject", "name"]]?.stringValue ?? "")")
            }),
            TableColumn("Message", cell: Cells.string("message")),
            .age,
        ],
        selectableFields: [
            "involvedObject.kind": { $0[path: ["involvedObject", "kind"]]?.stringValue },
            "involvedObject.name": { $0[path: ["involvedObject", "name"]]?.stringValue },
            "involvedObject.namespace": { $0[path: ["involvedObject", "namespace"]]?.stringValue },
            "involvedObject.uid": { $0[path: ["involvedObject", "uid"]]?.stringValue },
            "reason": { $0["reason"]?.stringValue },
            "type": { $0["type"]?.stringValue },
        ]
    )

    static let endpoints = ResourceDefinition(
        group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", shortNames: ["ep"],
        columns: [TableColumn("Endpoints", cell: { object, _ in
            let addresses = (object["subsets"]?.arrayValue ?? []).flatMap { subset in
                (subset["addresses"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
            }
            return .string(addresses.isEmpty ? "<none>" : addresses.joined(separator: ","))
        }), .age]
    )

    static let persistentVolumes = ResourceDefinition(
        group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false, shortNames: ["pv"],
        subresources: [.status],
        columns: [
            TableColumn("Capacity", cell: Cells.string("spec", "capacity", "storage")),
            TableColumn("Reclaim Policy", cell: Cells.string("spec", "persistentVolumeReclaimPolicy")),
            TableColumn("Status", cell: Cells.string("status", "phase")),
            .age,
        ],
        applyDefaults: { object in
            PodSpecRules.setIfMissing(&object[path: ["spec"]].orEmptyObject, "persistentVolumeReclaimPolicy", "Retain")
            PodSpecRules.setIfMissing(&object[path: ["spec"]].orEmptyObject, "volumeMode", "Filesystem")
        },
        initialStatus: { $0["status"] = ["phase": "Pending"] },
        returnsDeletedObject: true
    )

    static let persistentVolumeClaims = ResourceDefinition(
        group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"],
        subresources: [.status],
        columns: [
            TableColumn("Status", cell: Cells.string("status", "phase")),
            TableColumn("Volume", cell: Cells.string("spec", "volumeName")),
            TableColumn("Capacity", cell: Cells.string("status", "capacity", "storage")),
            .age,
        ],
        applyDefaults: { PodSpecRules.setIfMissing(&$0[path: ["spec"]].orEmptyObject, "volumeMode", "Filesystem") },
        initialStatus: { $0["status"] = ["phase": "Pending"] },
        returnsDeletedObject: true
    )

    static let resourceQuotas = ResourceDefinition(
        group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"], subresources: [.status],
        columns: [.age], validate: { ResourceQuotaRules.validate($0) }, returnsDeletedObject: true
    )

    static let limitRanges = ResourceDefinition(
        group: "", version: "v1", kind: "LimitRange", plural: "limitranges", shortNames: ["limits"], columns: [.age],
        validate: { LimitRangeRules.validate($0) }
    )
}

/// Keys of ConfigMap and Secret data.
enum DataKeys {
    static func validate(_ object: JSONValue, fields: [String]) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        var seen = Set<String>()
        for field in fields {
            for key in (object[field]?.objectValue ?? [:]).keys.sorted() {
                let path = FieldPath(field).key(key)
                causes += NameRules.configMapKeyErrors(key).map { .invalid(path, value: key, $0) }
                if !seen.insert(key).inserted { causes.append(.duplicate(path, value: key)) }
            }
        }
        return causes
    }
}

/// Rules for fields that may not change once set.
enum Immutability {
    /// ConfigMaps and Secrets marked `immutable: true` keep their data and the mark.
    static func dataIsImmutableWhenMarked(_ new: JSONValue, _ old: JSONValue) -> [APIError.Cause] {
        guard old["immutable"]?.boolValue == true else { return [] }
        var causes: [APIError.Cause] = []
        if new["immutable"]?.boolValue != true {
            causes.append(.forbidden(FieldPath("immutable"), "field is immutable when `immutable` is set"))
        }
        for field in ["data", "binaryData"] where new[field] != old[field] {
            causes.append(.forbidden(FieldPath(field), "field is immutable when `immutable` is set"))
        }
        return causes
    }
}

extension Optional where Wrapped == JSONValue {
    /// Lets defaulting code write into a member that may be missing: reads as `{}` when absent.
    var orEmptyObject: JSONValue {
        get { self ?? .emptyObject }
        set { self = newValue }
    }
}
