import Logging
import Synchronization

/// One informer per collection for all the controllers of a leadership term, as
/// Kubernetes' shared informers: the pods are listed and watched once, not once per
/// controller. The copies are read as the controller manager (`system:kube-controller-manager`,
/// whose role may list and watch what the controllers read); each controller still writes
/// under its own service account.
public final class InformerFactory: Sendable {
    let client: APIClient
    let logger: Logger
    private let informers = Mutex<[String: Informer]>([:])

    public init(client: APIClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The shared informer of `path` (a collection across namespaces, or in one).
    public func informer(_ path: String) -> Informer {
        informers.withLock { informers in
            if let existing = informers[path] { return existing }
            let informer = Informer(path: path, client: client, logger: logger)
            informers[path] = informer
            return informer
        }
    }
}
