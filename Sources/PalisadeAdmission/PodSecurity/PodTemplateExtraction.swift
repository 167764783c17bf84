import PalisadeAPI

/// Finds the pod metadata and spec an object carries: a Pod's own, or the pod template of a
/// workload, which Kubernetes checks so that a bad Deployment is reported when it is written
/// rather than only when its pods fail to start.
public enum PodTemplateExtraction {
    /// A kind that carries a pod, and where: an empty path for the Pod itself.
    private struct Carrier {
        let group: String
        let kind: String
        let resource: String
        let path: [String]
    }

    private static let carriers = [
        Carrier(group: "", kind: "Pod", resource: "pods", path: []),
        Carrier(group: "", kind: "PodTemplate", resource: "podtemplates", path: ["template"]),
        Carrier(group: "", kind: "ReplicationController", resource: "replicationcontrollers", path: ["spec", "template"]),
        Carrier(group: "apps", kind: "ReplicaSet", resource: "replicasets", path: ["spec", "template"]),
        Carrier(group: "apps", kind: "Deployment", resource: "deployments", path: ["spec", "template"]),
        Carrier(group: "apps", kind: "StatefulSet", resource: "statefulsets", path: ["spec", "template"]),
        Carrier(group: "apps", kind: "DaemonSet", resource: "daemonsets", path: ["spec", "template"]),
        Carrier(group: "batch", kind: "Job", resource: "jobs", path: ["spec", "template"]),
        Carrier(group: "batch", kind: "CronJob", resource: "cronjobs", path: ["spec", "jobTemplate", "spec", "template"]),
    ]

    /// The pod of `object`, judged by its own `apiVersion` group and `kind`; nil for a kind
    /// that has none, or a workload whose template is missing.
    public static func pod(in object: JSONValue) -> PodSecurityPod? {
        carrier(of: object).flatMap { pod(in: object, at: $0.path) }
    }

    /// The pod of `object` written to `resource` in API `group` (`""` for core), judged by
    /// the request as Kubernetes does, so a body without `kind` is still found.
    public static func pod(in object: JSONValue, group: String, resource: String) -> PodSecurityPod? {
        carriers.first { $0.group == group && $0.resource == resource }.flatMap { pod(in: object, at: $0.path) }
    }

    /// True when objects of `resource` in API `group` carry a pod (or are one).
    public static func carriesPod(group: String, resource: String) -> Bool {
        carriers.contains { $0.group == group && $0.resource == resource }
    }

    /// True for the kinds that carry a pod template rather than being a pod.
    public static func isWorkload(_ object: JSONValue) -> Bool {
        carrier(of: object).map { !$0.path.isEmpty } ?? false
    }

    private static func carrier(of object: JSONValue) -> Carrier? {
        guard let kind = object.present("kind")?.stringValue, let apiVersion = object.present("apiVersion")?.stringValue else {
            return nil
        }
        let group = apiVersion.firstIndex(of: "/").map { String(apiVersion[..<$0]) } ?? ""
        return carriers.first { $0.group == group && $0.kind == kind }
    }

    /// A Pod and a pod template have the same shape: metadata and spec.
    private static func pod(in object: JSONValue, at path: [String]) -> PodSecurityPod? {
        guard let source = object[path: path], source.objectValue != nil else { return nil }
        return PodSecurityPod(metadata: source.present("metadata") ?? .emptyObject, spec: source.present("spec") ?? .emptyObject)
    }
}
