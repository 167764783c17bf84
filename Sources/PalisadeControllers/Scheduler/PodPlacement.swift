import PalisadeAPI

/// What a pod asks of the node it lands on, read once from its spec: resources, node
/// selection, tolerations, anti-affinity, host ports, and its owner (for spreading).
public struct PodPlacement: Sendable {
    /// A required pod anti-affinity term: no pod matching `selector` in `namespaces` (empty:
    /// every namespace) may share a `topologyKey` value with this pod.
    public struct AntiAffinityTerm: Sendable {
        public let selector: LabelSelector
        public let namespaces: Set<String>
        public let topologyKey: String
    }

    public struct HostPort: Sendable, Hashable {
        public let port: Int64
        public let `protocol`: String
        public let hostIP: String

        /// Two uses of one port clash unless they bind different specific addresses.
        func conflicts(with other: HostPort) -> Bool {
            port == other.port && `protocol` == other.protocol
                && (hostIP == other.hostIP || hostIP == "0.0.0.0" || other.hostIP == "0.0.0.0")
        }
    }

    public let key: String
    public let namespace: String
    public let labels: [String: String]
    public let requests: Resources
    public let nodeSelector: [String: String]
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`: any one must match.
    public let requiredNodeTerms: [JSONValue]
    public let tolerations: [Toleration]
    public let antiAffinity: [AntiAffinityTerm]
    public let hostPorts: [HostPort]
    /// The uid of the controller that owns the pod, for spreading its replicas.
    public let ownerUID: String?

    public init(_ pod: JSONValue) {
        key = Informer.key(pod)
        namespace = pod.namespace ?? ""
        labels = pod.labels
        requests = Resources.requested(by: pod)
        nodeSelector = (pod[path: ["spec", "nodeSelector"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        requiredNodeTerms = pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?.arrayValue ?? []
        tolerations = (pod[path: ["spec", "tolerations"]]?.arrayValue ?? []).map(Toleration.init)
        let namespace = self.namespace
        antiAffinity = (pod[path: ["spec", "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]]?.arrayValue ?? [])
            .compactMap { term in
                guard let topologyKey = term["topologyKey"]?.stringValue, !topologyKey.isEmpty,
                    let selector = try? LabelSelector(object: term["labelSelector"] ?? .emptyObject)
                else { return nil }
                var namespaces = Set((term["namespaces"]?.arrayValue ?? []).compactMap(\.stringValue))
                // An empty namespaceSelector ({}) means every namespace; none means the pod's own.
                let everywhere = term["namespaceSelector"]?.objectValue?.isEmpty == true
                if namespaces.isEmpty && !everywhere { namespaces = [namespace] }
                return AntiAffinityTerm(selector: selector, namespaces: everywhere ? [] : namespaces, topologyKey: topologyKey)
            }
        hostPorts = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).flatMap { container in
            (container["ports"]?.arrayValue ?? []).compactMap { port -> HostPort? in
                guard let hostPort = port["hostPort"]?.intValue, hostPort > 0 else { return nil }
                let hostIP = port["hostIP"]?.stringValue ?? ""
                return HostPort(port: hostPort, protocol: port["protocol"]?.stringValue ?? "TCP", hostIP: hostIP.isEmpty ? "0.0.0.0" : hostIP)
            }
        }
        ownerUID = (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [])
            .first { $0["controller"]?.boolValue == true }?["uid"]?.stringValue
    }

    /// Whether `term`'s selector picks a pod with these labels in `namespace`.
    static func term(_ term: AntiAffinityTerm, matches labels: [String: String], namespace: String) -> Bool {
        (term.namespaces.isEmpty || term.namespaces.contains(namespace)) && term.selector.matches(labels)
    }
}

/// One entry of a pod's `tolerations`.
public struct Toleration: Sendable {
    public let key: String
    public let `operator`: String
    public let value: String
    public let effect: String
    /// How long a NoExecute taint is tolerated once added; nil: for ever.
    public let tolerationSeconds: Int64?

    init(_ json: JSONValue) {
        key = json["key"]?.stringValue ?? ""
        `operator` = json["operator"]?.stringValue ?? "Equal"
        value = json["value"]?.stringValue ?? ""
        effect = json["effect"]?.stringValue ?? ""
        tolerationSeconds = json["tolerationSeconds"]?.intValue
    }

    /// Kubernetes' rule: the effect matches (or is empty), and `Exists` matches the key (any
    /// key when empty) while `Equal` also needs the value.
    func tolerates(_ taint: Taint) -> Bool {
        guard effect.isEmpty || effect == taint.effect else { return false }
        if `operator` == "Exists" { return key.isEmpty || key == taint.key }
        return key == taint.key && value == taint.value
    }
}

/// One entry of a node's `spec.taints`.
public struct Taint: Sendable, Equatable {
    public let key: String
    public let value: String
    public let effect: String

    public init(key: String, value: String, effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    init(_ json: JSONValue) {
        self.init(key: json["key"]?.stringValue ?? "", value: json["value"]?.stringValue ?? "", effect: json["effect"]?.stringValue ?? "")
    }

    /// Only these keep pods away; PreferNoSchedule is a preference.
    var repels: Bool { effect == "NoSchedule" || effect == "NoExecute" }

    /// As Kubernetes prints it in scheduling failures: `{key: value}`.
    var summary: String { "{\(key): \(value)}" }
}
