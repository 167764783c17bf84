import PalisadeAPI

/// Why the agent cannot set up a pod or one of its containers from what the pod says.
///
/// The message names the field (`spec.containers[0].env[2].valueFrom.secretKeyRef`) and the
/// objects involved, never the contents of a Secret or ConfigMap. ``reason`` is what the
/// kubelet would show as the container's waiting reason. Errors compare by code only, so
/// tests compare against a freshly made one and read ``message`` for the details.
public struct PodConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Value: String {
            case missingReference, missingKey, invalidSpec, unsupported, unsafePath, hostPathType, fileSystem, secretsNeedTmpfs,
                lookupFailed
        }
        fileprivate let value: Value

        /// A ConfigMap, Secret or PersistentVolumeClaim that is not there and not optional.
        public static let missingReference = Code(value: .missingReference)
        /// A key a reference names is not in the object.
        public static let missingKey = Code(value: .missingKey)
        /// The spec says something the agent cannot act on (a bad mode, an unknown volume).
        public static let invalidSpec = Code(value: .invalidSpec)
        /// A feature this agent does not implement (projected volumes, gRPC probes).
        public static let unsupported = Code(value: .unsupported)
        /// A path that is absolute, climbs with `..`, or resolves outside its volume.
        public static let unsafePath = Code(value: .unsafePath)
        /// A hostPath that is not what its `type` demands.
        public static let hostPathType = Code(value: .hostPathType)
        /// Creating, writing, mounting or removing something on the host failed.
        public static let fileSystem = Code(value: .fileSystem)
        /// A secret volume would land on disk because no tmpfs can be mounted.
        public static let secretsNeedTmpfs = Code(value: .secretsNeedTmpfs)
        /// Asking the API server for a referenced object failed (not "not found").
        public static let lookupFailed = Code(value: .lookupFailed)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What went wrong, with the field path in front when there is one.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    init(_ code: Code, at path: FieldPath?, _ detail: String) {
        self.init(code, path.map { "\($0): \(detail)" } ?? detail)
    }

    /// The container waiting reason the kubelet reports for this error: configuration
    /// problems keep the container in `CreateContainerConfigError`; volume set-up problems
    /// leave it in `ContainerCreating` (the kubelet reports those as FailedMount events).
    public var reason: String {
        switch code.value {
        case .missingReference, .missingKey, .invalidSpec, .unsupported, .unsafePath, .lookupFailed: "CreateContainerConfigError"
        case .hostPathType, .fileSystem, .secretsNeedTmpfs: "ContainerCreating"
        }
    }

    public var description: String { message }

    public static func == (lhs: PodConfigError, rhs: PodConfigError) -> Bool { lhs.code == rhs.code }
}
