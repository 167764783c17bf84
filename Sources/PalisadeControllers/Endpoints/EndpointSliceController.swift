import Foundation
import Logging
import PalisadeAPI

/// Keeps each selector-bearing Service's EndpointSlices (discovery.k8s.io/v1) listing its
/// backends with their conditions (ready, serving, terminating), at most
/// ``maxEndpointsPerSlice`` per slice and one series of slices per set of ports. The slices
/// are labelled `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`,
/// owned by the Service (so they go with it), and rewritten only when they differ.
public final class EndpointSliceController: Sendable {
    public static let name = "endpointslice-controller"
    static let managedBy = "endpointslice-controller.k8s.io"
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    /// Kubernetes' `--max-endpoints-per-slice` default.
    static let maxEndpointsPerSlice = 100

    let client: APIClient
    let logger: Logger
    let watch: ServiceWatch
    let slices: Informer
    let expectations = Expectations()

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        watch = ServiceWatch(informers: informers)
        slices = informers.informer("/apis/discovery.k8s.io/v1/endpointslices")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [watch.services, watch.pods, slices],
            triggers: watch.triggers + [.init(slices) { [self] change in
                guard let key = Self.serviceKey(of: change.object) else { return [] }
                switch change.kind {
                case .added: expectations.creationObserved(key)
                case .deleted: expectations.deletionObserved(key, Informer.key(change.object))
                case .modified: break
                }
                return [key]
            }],
            workers: 4, logger: logger
        )
        await loop.run { [self] key in try await self.sync(key) }
    }

    /// The Service a managed slice belongs to.
    static func serviceKey(of slice: JSONValue) -> String? {
        guard slice.labels[managedByLabel] == managedBy, let service = slice.labels[serviceNameLabel] else { return nil }
        return "\(slice.namespace ?? "")/\(service)"
    }

    func sync(_ key: String) async throws {
        let namespace = String(key.prefix { $0 != "/" })
        let current = slices.objects(in: namespace).filter { Self.serviceKey(of: $0) == key }.sorted { ($0.name ?? "") < ($1.name ?? "") }
        guard let service = watch.services.object(key), ServiceBackend.selector(of: service) != nil else {
            // Without a Service the garbage collector removes its slices; without a selector they are the user's.
            return
        }
        guard expectations.satisfied(key) else { return }
        let wanted = Self.slices(for: service, backends: watch.backends(of: service))
        let collection = "/apis/discovery.k8s.io/v1/namespaces/\(namespace)/endpointslices"
        let surplus = current.dropFirst(wanted.count)
        let creations = max(0, wanted.count - current.count)
        if creations > 0 || !surplus.isEmpty { expectations.expect(key, creations: creations, deletions: Set(surplus.map(Informer.key))) }
        for (index, body) in wanted.enumerated() {
            if index < current.count {
                var slice = current[index]
                guard Self.content(of: slice) != Self.content(of: body) else { continue }
                for field in ["addressType", "endpoints", "ports"] { slice[field] = body[field] }
                slice[path: ["metadata", "labels"]] = body[path: ["metadata", "labels"]]
                slice[path: ["metadata", "ownerReferences"]] = body[path: ["metadata", "ownerReferences"]]
                try await client.update("\(collection)/\(slice.name ?? "")", slice)
            } else {
                do {
                    try await client.create(collection, body)
                } catch {
                    // This one and the rest of the pass will never be observed.
                    for _ in index..<wanted.count { expectations.creationFailed(key) }
                    throw error
                }
            }
        }
        for slice in surplus { try await client.delete("\(collection)/\(slice.name ?? "")") }
    }

    /// What a slice says, for comparison.
    private static func content(of slice: JSONValue) -> [JSONValue?] {
        [slice["addressType"], slice["endpoints"] ?? [], slice["ports"] ?? [], slice[path: ["metadata", "labels"]], slice[path: ["metadata", "ownerReferences"]]]
    }

    /// The slices the Service should have: one with no endpoints when it has no backends.
    static func slices(for service: JSONValue, backends: [ServiceBackend]) -> [JSONValue] {
        var labels = service.labels
        labels[serviceNameLabel] = service.name ?? ""
        labels[managedByLabel] = managedBy
        if service[path: ["spec", "clusterIP"]]?.stringValue == "None" { labels["service.kubernetes.io/headless"] = "" }
        let metadata: JSONValue = [
            "generateName": .string("\(service.name ?? "")-"), "namespace": .string(service.namespace ?? ""),
            "labels": .object(labels.mapValues(JSONValue.string)),
            "ownerReferences": [OwnerReference.make(to: service, kind: "Service", apiVersion: "v1")],
        ]
        func slice(_ ports: [ServiceBackend.Port], _ endpoints: ArraySlice<ServiceBackend>) -> JSONValue {
            [
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": metadata, "addressType": "IPv4",
                "endpoints": .array(endpoints.map { endpoint(for: $0, of: service) }),
                "ports": .array(ports.map { port in
                    var entry: JSONValue = ["name": .string(port.name), "port": .int(port.port), "protocol": .string(port.protocol)]
                    if let app = port.appProtocol { entry["appProtocol"] = .string(app) }
                    return entry
                }),
            ]
        }
        let groups = ServiceBackend.groupedByPorts(backends)
        guard !groups.isEmpty else { return [slice([], [])] }
        return groups.flatMap { group in
            stride(from: 0, to: group.backends.count, by: maxEndpointsPerSlice).map { start in
                slice(group.ports, group.backends[start..<min(start + maxEndpointsPerSlice, group.backends.count)])
            }
        }
    }

    private static func endpoint(for backend: ServiceBackend, of service: JSONValue) -> JSONValue {
        var endpoint: JSONValue = [
            "addresses": [.string(backend.ip)],
            "conditions": ["ready": .bool(backend.ready), "serving": .bool(backend.serving), "terminating": .bool(backend.terminating)],
            "targetRef": backend.targetRef,
        ]
        if let node = backend.nodeName { endpoint["nodeName"] = .string(node) }
        // A pod in the Service's subdomain is known by its hostname (StatefulSet pods are).
        if let hostname = backend.pod[path: ["spec", "hostname"]]?.stringValue,
            backend.pod[path: ["spec", "subdomain"]]?.stringValue == service.name
        {
            endpoint["hostname"] = .string(hostname)
        }
        return endpoint
    }
}
