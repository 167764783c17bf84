import Foundation
import PalisadeAPI

/// The pods behind a Service, as both endpoint controllers publish them: pods of its
/// namespace that its selector matches, have an IP and have not finished, each with the
/// Service's ports resolved against its containers (a named `targetPort` is looked up in
/// the pod's container ports; a pod without it does not serve that port).
struct ServiceBackend: Equatable {
    struct Port: Hashable, Comparable {
        let name: String
        let port: Int64
        let `protocol`: String
        let appProtocol: String?

        static func < (a: Port, b: Port) -> Bool { (a.name, a.port, a.protocol) < (b.name, b.port, b.protocol) }
    }

    let pod: JSONValue
    let ip: String
    /// Ready and not terminating.
    let ready: Bool
    /// Ready, whether or not terminating.
    let serving: Bool
    let terminating: Bool
    let ports: [Port]

    var nodeName: String? { pod[path: ["spec", "nodeName"]]?.stringValue }

    var targetRef: JSONValue {
        ["kind": "Pod", "namespace": .string(pod.namespace ?? ""), "name": .string(pod.name ?? ""), "uid": .string(pod.uid ?? "")]
    }

    /// The Service's selector; nil when it has none (its endpoints are then managed by hand).
    static func selector(of service: JSONValue) -> [String: String]? {
        guard let selector = service[path: ["spec", "selector"]]?.objectValue?.compactMapValues(\.stringValue), !selector.isEmpty else { return nil }
        return selector
    }

    static func selects(_ service: JSONValue, _ pod: JSONValue) -> Bool {
        guard pod.namespace == service.namespace, let selector = selector(of: service) else { return false }
        return selector.allSatisfy { pod.labels[$0.key] == $0.value }
    }

    /// The backends of `service` among `pods` (those of its namespace), by IP.
    static func of(_ service: JSONValue, pods: [JSONValue]) -> [ServiceBackend] {
        let publishNotReady = service[path: ["spec", "publishNotReadyAddresses"]]?.boolValue == true
        let servicePorts = service[path: ["spec", "ports"]]?.arrayValue ?? []
        return pods.compactMap { pod -> ServiceBackend? in
            guard selects(service, pod), !PodState.isTerminal(pod),
                let ip = pod[path: ["status", "podIP"]]?.stringValue, !ip.isEmpty
            else { return nil }
            let serving = publishNotReady || PodState.isReady(pod)
            let terminating = pod.deletionTimestamp != nil
            let ports = servicePorts.compactMap { resolve($0, in: pod) }
            return ServiceBackend(pod: pod, ip: ip, ready: serving && !terminating, serving: serving, terminating: terminating, ports: ports)
        }.sorted { $0.ip < $1.ip }
    }

    private static func resolve(_ servicePort: JSONValue, in pod: JSONValue) -> Port? {
        let target = servicePort["targetPort"] ?? servicePort["port"]
        let number: Int64?
        if let named = target?.stringValue, Int64(named) == nil {
            let containerPorts = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).flatMap { $0["ports"]?.arrayValue ?? [] }
            number = containerPorts.first { $0["name"]?.stringValue == named }?["containerPort"]?.intValue
        } else {
            number = target?.intValue ?? target?.stringValue.flatMap { Int64($0) }
        }
        guard let number else { return nil }
        return Port(
            name: servicePort["name"]?.stringValue ?? "", port: number, protocol: servicePort["protocol"]?.stringValue ?? "TCP",
            appProtocol: servicePort["appProtocol"]?.stringValue
        )
    }

    /// Backends grouped by the ports they serve, in a stable order (one Endpoints subset or
    /// one series of EndpointSlices per group).
    static func groupedByPorts(_ backends: [ServiceBackend]) -> [(ports: [Port], backends: [ServiceBackend])] {
        var groups: [[Port]: [ServiceBackend]] = [:]
        for backend in backends { groups[backend.ports.sorted(), default: []].append(backend) }
        return groups.map { (ports: $0.key, backends: $0.value) }.sorted { $0.ports.lexicographicallyPrecedes($1.ports) }
    }
}
