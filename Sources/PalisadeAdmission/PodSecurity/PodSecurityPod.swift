import PalisadeAPI

/// The pod metadata and spec a Pod Security evaluation looks at: a Pod's own, or the pod
/// template of a workload (see ``PodTemplateExtraction``).
public struct PodSecurityPod: Sendable, Hashable {
    public let metadata: JSONValue
    public let spec: JSONValue
    /// Every container the pod runs, in Kubernetes' visiting order: init containers,
    /// containers, then ephemeral containers. Missing any of them would let a debug
    /// container or a sidecar escape the policy. (Gathered once: every check walks them.)
    let containers: [PodSecurityContainer]

    public init(metadata: JSONValue = .emptyObject, spec: JSONValue) {
        self.metadata = metadata
        self.spec = spec
        containers = ["initContainers", "containers", "ephemeralContainers"].flatMap { key in
            (spec.present(key)?.arrayValue ?? []).map(PodSecurityContainer.init)
        }
    }

    /// The string-valued annotations.
    var annotations: [String: String] {
        metadata.present("annotations")?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }

    /// `spec.securityContext`, when set.
    var securityContext: JSONValue? { spec.present("securityContext") }

    /// The names of the containers for which `isBad` holds, in visiting order.
    func containerNames(where isBad: (PodSecurityContainer) -> Bool) -> [String] {
        containers.filter(isBad).map(\.name)
    }

    var volumes: [JSONValue] { spec.present("volumes")?.arrayValue ?? [] }

    /// `spec.os.name: windows`. Windows pods cannot set several Linux-only fields at all,
    /// so from v1.25 the restricted checks on those fields do not apply to them.
    var isWindows: Bool { spec.present("os", "name")?.stringValue == "windows" }

    /// `spec.hostUsers: false`: the pod runs in its own user namespace, so root inside is
    /// not root on the node. From v1.35 some checks relax for such pods.
    var usesUserNamespace: Bool { spec.present("hostUsers")?.boolValue == false }
}

/// One container of a pod, as the checks read it; the fields every check needs are looked
/// up once.
struct PodSecurityContainer: Sendable, Hashable {
    let json: JSONValue
    let name: String
    /// The container's `securityContext`, when set.
    let securityContext: JSONValue?

    init(_ json: JSONValue) {
        self.json = json
        name = json.present("name")?.stringValue ?? ""
        securityContext = json.present("securityContext")
    }

    /// The capability names under `securityContext.capabilities.<list>` (`add` or `drop`).
    func capabilities(_ list: String) -> [String] {
        securityContext?.present("capabilities", list)?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
