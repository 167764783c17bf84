import PalisadeAPI

/// One container of a pod's spec, with where it sits (`spec.initContainers[1]`), so that
/// errors about it can name the field.
public struct PodContainer: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case initContainer
        case app
    }

    public let kind: Kind
    /// Its position in `spec.initContainers` or `spec.containers`.
    public let index: Int
    /// The container object from the pod spec.
    public let spec: JSONValue

    public init(kind: Kind, index: Int, spec: JSONValue) {
        self.kind = kind
        self.index = index
        self.spec = spec
    }

    public var name: String { spec["name"]?.stringValue ?? "" }

    /// `spec.containers[0]` or `spec.initContainers[0]`.
    public var fieldPath: FieldPath { FieldPath("spec", kind == .app ? "containers" : "initContainers").index(index) }

    /// The pod's init containers, in the order they run.
    public static func initContainers(of pod: JSONValue) -> [PodContainer] {
        (pod[path: ["spec", "initContainers"]]?.arrayValue ?? []).enumerated().map { PodContainer(kind: .initContainer, index: $0, spec: $1) }
    }

    /// The pod's app containers, in spec order.
    public static func appContainers(of pod: JSONValue) -> [PodContainer] {
        (pod[path: ["spec", "containers"]]?.arrayValue ?? []).enumerated().map { PodContainer(kind: .app, index: $0, spec: $1) }
    }

    /// Init containers, then app containers.
    public static func all(of pod: JSONValue) -> [PodContainer] {
        initContainers(of: pod) + appContainers(of: pod)
    }

    /// The container called `name`, init containers included.
    public static func named(_ name: String, in pod: JSONValue) -> PodContainer? {
        all(of: pod).first { $0.name == name }
    }
}

extension JSONValue {
    /// `metadata.namespace`, or `default` as the API server would have set it.
    var podNamespace: String { self[path: ["metadata", "namespace"]]?.stringValue ?? "default" }
}
