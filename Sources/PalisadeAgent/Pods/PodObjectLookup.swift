import PalisadeAPI

/// Where the agent finds the objects a pod refers to: ConfigMaps and Secrets for the
/// environment and volumes, PersistentVolumeClaims for volumes. Each fetch answers nil when
/// the object does not exist and throws only when it cannot tell (the API is unreachable).
public struct PodObjectLookup: Sendable {
    /// Fetches one object by namespace and name.
    public typealias Fetch = @Sendable (_ namespace: String, _ name: String) async throws -> JSONValue?

    public var configMap: Fetch
    public var secret: Fetch
    public var persistentVolumeClaim: Fetch

    public init(configMap: @escaping Fetch, secret: @escaping Fetch, persistentVolumeClaim: @escaping Fetch) {
        self.configMap = configMap
        self.secret = secret
        self.persistentVolumeClaim = persistentVolumeClaim
    }

    /// Serves a fixed set of objects, matched by `kind`, `metadata.namespace` and `metadata.name`
    /// (for tests, and for pods whose references are known up front).
    public static func objects(_ objects: [JSONValue]) -> PodObjectLookup {
        func fetch(_ kind: String) -> Fetch {
            { namespace, name in
                objects.first {
                    $0["kind"]?.stringValue == kind && $0[path: ["metadata", "namespace"]]?.stringValue == namespace
                        && $0[path: ["metadata", "name"]]?.stringValue == name
                }
            }
        }
        return PodObjectLookup(configMap: fetch("ConfigMap"), secret: fetch("Secret"), persistentVolumeClaim: fetch("PersistentVolumeClaim"))
    }
}

/// The kinds of object a pod refers to, with the words the kubelet uses for them in messages.
enum ReferencedKind {
    case configMap, secret, persistentVolumeClaim

    /// `configmap "x" not found`, as the API's NotFound reads in kubelet messages.
    var resource: String {
        switch self {
        case .configMap: "configmap"
        case .secret: "secret"
        case .persistentVolumeClaim: "persistentvolumeclaim"
        }
    }

    /// `couldn't find key k in ConfigMap ns/name`.
    var kind: String {
        switch self {
        case .configMap: "ConfigMap"
        case .secret: "Secret"
        case .persistentVolumeClaim: "PersistentVolumeClaim"
        }
    }
}

extension PodObjectLookup {
    /// Fetches a referenced object; a failed fetch becomes a ``PodConfigError`` naming the field.
    func fetch(_ kind: ReferencedKind, namespace: String, name: String, at path: FieldPath) async throws(PodConfigError) -> JSONValue? {
        guard !name.isEmpty else { throw PodConfigError(.invalidSpec, at: path, "\(kind.resource) name is empty") }
        let fetch =
            switch kind {
            case .configMap: configMap
            case .secret: secret
            case .persistentVolumeClaim: persistentVolumeClaim
            }
        do {
            return try await fetch(namespace, name)
        } catch {
            throw PodConfigError(.lookupFailed, at: path, "getting \(kind.resource) \"\(name)\": \(error)")
        }
    }

    /// Like ``fetch(_:namespace:name:at:)``, but a missing object is an error unless `optional`.
    func require(_ kind: ReferencedKind, namespace: String, name: String, optional: Bool, at path: FieldPath) async throws(PodConfigError)
        -> JSONValue?
    {
        if let object = try await fetch(kind, namespace: namespace, name: name, at: path) { return object }
        if optional { return nil }
        throw PodConfigError(.missingReference, at: path, "\(kind.resource) \"\(name)\" not found")
    }
}
