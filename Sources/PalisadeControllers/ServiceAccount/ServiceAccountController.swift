import Foundation
import Logging
import PalisadeAPI

/// Keeps a `default` ServiceAccount in every active namespace: the server already makes
/// one when a namespace is created (so a pod can be created at once); this controller puts
/// it back when it is deleted, and provides it for namespaces that lack it.
public final class ServiceAccountController: Sendable {
    public static let name = "service-account-controller"
    static let account = "default"

    let client: APIClient
    let logger: Logger
    let namespaces: Informer
    let accounts: Informer

    public init(client: APIClient, informers: InformerFactory, logger: Logger) {
        self.client = client
        self.logger = logger
        namespaces = informers.informer("/api/v1/namespaces")
        accounts = informers.informer("/api/v1/serviceaccounts")
    }

    public func run() async {
        let loop = ReconcileLoop<String>(
            name: Self.name, informers: [namespaces, accounts],
            triggers: [
                .init(namespaces) { change in change.kind == .deleted ? [] : [Informer.key(change.object)] },
                .init(accounts) { change in
                    change.kind == .deleted && change.object.name == Self.account ? [change.object.namespace ?? ""] : []
                },
            ],
            workers: 2, logger: logger
        )
        await loop.run { [self] namespace in try await self.sync(namespace) }
    }

    func sync(_ namespace: String) async throws {
        guard let object = namespaces.object(namespace), object.deletionTimestamp == nil,
            accounts.object("\(namespace)/\(Self.account)") == nil
        else { return }
        do {
            try await client.create("/api/v1/namespaces/\(namespace)/serviceaccounts", [
                "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": .string(Self.account), "namespace": .string(namespace)],
            ])
        } catch let failure as APIFailure where failure.status == 409 || failure.status == 403 {
            // It exists already (the informer is behind), or the namespace started terminating.
            return
        }
    }
}
