import Foundation
import Logging
import PalisadeAPI

/// Keeps each selector-bearing Service's `Endpoints` object (same name) listing its
/// backends: ready ones under `addresses`, the others under `notReadyAddresses`, one subset
/// per set of ports; terminating pods are left out. Deletes it with the Service. Services
/// without a selector are left to their users.
public final class EndpointsController: Sendable {
    public static let name = "endpoint-controller"

    let client: APIClient
    let logger: Logger
    let watch: ServiceWatch
    let endpoints: Informer

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        watch = ServiceWatch(informers: informers)
        endpoints = informers.informer("/api/v1/endpoints")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [watch.services, watch.pods, endpoints],
            // An Endpoints change matters only for a Service's: one without a Service may be a
            // user's, written before its selectorless Service (deletions follow the Service's).
            triggers: watch.triggers + [.init(endpoints) { [watch] change in
                watch.services.object(Informer.key(change.object)) == nil ? [] : [Informer.key(change.object)]
            }], workers: 4, logger: logger
        )
        await loop.run { [self] key in try await self.sync(key) }
    }

    func sync(_ key: String) async throws {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return }
        let path = "/api/v1/namespaces/\(parts[0])/endpoints/\(parts[1])"
        let existing = endpoints.object(key)
        guard let service = watch.services.object(key) else {
            if existing != nil { try await client.delete(path) }
            return
        }
        guard ServiceBackend.selector(of: service) != nil else { return }
        let subsets = Self.subsets(watch.backends(of: service))
        var labels = service.labels
        if service[path: ["spec", "clusterIP"]]?.stringValue == "None" { labels["service.kubernetes.io/headless"] = "" }
        let labelValue = JSONValue.object(labels.mapValues(JSONValue.string))
        if var existing {
            guard existing["subsets"] ?? [] != subsets || existing[path: ["metadata", "labels"]] ?? .emptyObject != labelValue else { return }
            existing["subsets"] = subsets
            existing[path: ["metadata", "labels"]] = labelValue
            try await client.update(path, existing)
        } else {
            try await client.create("/api/v1/namespaces/\(parts[0])/endpoints", [
                "apiVersion": "v1", "kind": "Endpoints",
                "metadata": ["name": .string(parts[1]), "namespace": .string(parts[0]), "labels": labelValue],
                "subsets": subsets,
            ])
        }
    }

    static func subsets(_ backends: [ServiceBackend]) -> JSONValue {
        .array(ServiceBackend.groupedByPorts(backends.filter { !$0.terminating }).map { group in
            func address(_ backend: ServiceBackend) -> JSONValue {
                var address: JSONValue = ["ip": .string(backend.ip), "targetRef": backend.targetRef]
                if let node = backend.nodeName { address["nodeName"] = .string(node) }
                return address
            }
            var subset: JSONValue = [
                "ports": .array(group.ports.map { port in
                    var entry: JSONValue = ["port": .int(port.port), "protocol": .string(port.protocol)]
                    if !port.name.isEmpty { entry["name"] = .string(port.name) }
                    if let app = port.appProtocol { entry["appProtocol"] = .string(app) }
                    return entry
                }),
            ]
            let ready = group.backends.filter(\.ready).map(address)
            let notReady = group.backends.filter { !$0.ready }.map(address)
            if !ready.isEmpty { subset["addresses"] = .array(ready) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady) }
            return subset
        })
    }
}
