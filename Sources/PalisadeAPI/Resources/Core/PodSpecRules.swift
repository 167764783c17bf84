import Foundation

/// Defaults and validation of a PodSpec, shared by Pods and every pod template
/// (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs).
public enum PodSpecRules {
    /// Fills the defaults Kubernetes fills in a PodSpec.
    public static func applyDefaults(_ spec: inout JSONValue, isTemplate: Bool = false, restartPolicy: String = "Always") {
        setIfMissing(&spec, "restartPolicy", .string(restartPolicy))
        setIfMissing(&spec, "terminationGracePeriodSeconds", 30)
        setIfMissing(&spec, "dnsPolicy", "ClusterFirst")
        setIfMissing(&spec, "schedulerName", "default-scheduler")
        setIfMissing(&spec, "securityContext", .emptyObject)
        for field in ["containers", "initContainers"] {
            guard let containers = spec[field]?.arrayValue else { continue }
            spec[field] = .array(containers.map(defaultedContainer))
        }
    }

    private static func defaultedContainer(_ container: JSONValue) -> JSONValue {
        var container = container
        if container["imagePullPolicy"] == nil, let image = container["image"]?.stringValue {
            container["imagePullPolicy"] = .string(pullsAlways(image) ? "Always" : "IfNotPresent")
        }
        setIfMissing(&container, "terminationMessagePath", "/dev/termination-log")
        setIfMissing(&container, "terminationMessagePolicy", "File")
        setIfMissing(&container, "resources", .emptyObject)
        if let ports = container["ports"]?.arrayValue {
            container["ports"] = .array(ports.map { port in
                var port = port
                setIfMissing(&port, "protocol", "TCP")
                return port
            })
        }
        return container
    }

    /// `:latest` or no tag (and no digest) means the image is pulled every time.
    static func pullsAlways(_ image: String) -> Bool {
        if image.contains("@") { return false }
        let lastSegment = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastSegment.lastIndex(of: ":") else { return true }
        return lastSegment[lastSegment.index(after: colon)...] == "latest"
    }

    static func setIfMissing(_ object: inout JSONValue, _ key: String, _ value: JSONValue) {
        if object[key] == nil || object[key]!.isNull { object[key] = value }
    }

    static let restartPolicies = ["Always", "OnFailure", "Never"]
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]

    /// Validates a PodSpec at `path`.
    public static func validate(_ spec: JSONValue?, at path: FieldPath) -> [APIError.Cause] {
        guard let spec, spec.objectValue != nil else { return [.required(path)] }
        var causes: [APIError.Cause] = []
        let containers = spec["containers"]?.arrayValue ?? []
        if containers.isEmpty { causes.append(.required(path.child("containers"))) }
        var names = Set<String>()
        for (field, list) in [("containers", containers), ("initContainers", spec["initContainers"]?.arrayValue ?? [])] {
            for (index, container) in list.enumerated() {
                causes += validateContainer(container, at: path.child(field).index(index), names: &names)
            }
        }
        if let policy = spec["restartPolicy"]?.stringValue, !restartPolicies.contains(policy) {
            causes.append(.notSupported(path.child("restartPolicy"), value: policy, supported: restartPolicies))
        }
        if let grace = spec["terminationGracePeriodSeconds"]?.intValue, grace < 0 {
            causes.append(.invalid(path.child("terminationGracePeriodSeconds"), value: String(grace), "must be greater than or equal to 0"))
        }
        var volumeNames = Set<String>()
        for (index, volume) in (spec["volumes"]?.arrayValue ?? []).enumerated() {
            let name = volume["name"]?.stringValue ?? ""
            let volumePath = path.child("volumes").index(index).child("name")
            if name.isEmpty {
                causes.append(.required(volumePath))
            } else if !volumeNames.insert(name).inserted {
                causes.append(.duplicate(volumePath, value: name))
            } else {
                causes += NameRules.dns1123LabelErrors(name).map { .invalid(volumePath, value: name, $0) }
            }
        }
        return causes
    }

    private static func validateContainer(_ container: JSONValue, at path: FieldPath, names: inout Set<String>) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let name = container["name"]?.stringValue ?? ""
        if name.isEmpty {
            causes.append(.required(path.child("name")))
        } else if !names.insert(name).inserted {
            causes.append(.duplicate(path.child("name"), value: name))
        } else {
            causes += NameRules.dns1123LabelErrors(name).map { .invalid(path.child("name"), value: name, $0) }
        }
        let image = container["image"]?.stringValue ?? ""
        if image.trimmingCharacters(in: .whitespaces).isEmpty { causes.append(.required(path.child("image"))) }
        if let policy = container["imagePullPolicy"]?.stringValue, !pullPolicies.contains(policy) {
            causes.append(.notSupported(path.child("imagePullPolicy"), value: policy, supported: pullPolicies))
        }
        for (index, port) in (container["ports"]?.arrayValue ?? []).enumerated() {
            let portPath = path.child("ports").index(index).child("containerPort")
            guard let number = port["containerPort"]?.intValue else {
                causes.append(.required(portPath))
                continue
            }
            if !(1...65535).contains(number) {
                causes.append(.invalid(portPath, value: String(number), "must be between 1 and 65535, inclusive"))
            }
        }
        causes += ResourceRequirementsRules.validate(container["resources"], at: path.child("resources"))
        return causes
    }
}
