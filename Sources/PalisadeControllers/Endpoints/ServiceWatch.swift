import Foundation
import Logging
import PalisadeAPI

/// The Service and Pod informers both endpoint controllers are driven by, and the Services
/// a pod change concerns (those selecting it before or after the change).
struct ServiceWatch: Sendable {
    let services: Informer
    let pods: Informer

    init(informers: InformerFactory) {
        services = informers.informer("/api/v1/services")
        pods = informers.informer("/api/v1/pods")
    }

    var triggers: [ReconcileLoop<String>.Trigger] {
        [
            .init(services) { [Informer.key($0.object)] },
            .init(pods) { [services] change in
                let versions = [change.old, change.object].compactMap { $0 }
                return services.objects(in: change.object.namespace ?? "").filter { service in
                    versions.contains { ServiceBackend.selects(service, $0) }
                }.map(Informer.key)
            },
        ]
    }

    /// The Service's backends from the informers' copies.
    func backends(of service: JSONValue) -> [ServiceBackend] {
        ServiceBackend.of(service, pods: pods.objects(in: service.namespace ?? ""))
    }
}
