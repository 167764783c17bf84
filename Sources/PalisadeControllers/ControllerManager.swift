import Foundation
import Logging
import PalisadeAuth
import PalisadeClient
import ServiceLifecycle
import Synchronization

/// The scheduler and the controllers inside `palisade server`. Each is a client of the
/// gateway with its own certificate (made in memory by the cluster CA): the scheduler as
/// `system:kube-scheduler`, each controller as its service account
/// `system:serviceaccount:kube-system:<name>`, bound to `system:controller:<name>` in
/// `policies/rbac/`. So their requests are authorized by least-privilege roles and audited
/// under their own names. The controllers' informers are shared (``InformerFactory``) and
/// read as `system:kube-controller-manager`, as in Kubernetes. The scheduler holds the
/// Lease `kube-scheduler`, the controllers the Lease `kube-controller-manager`: two servers
/// on one store never both act.
public struct ControllerManager: Service {
    public struct Configuration: Sendable {
        /// Which parts run: the scheduler, and controllers by name.
        public var scheduler = true
        public var controllers: Set<String> = [
            ReplicaSetController.name, DeploymentController.name, StatefulSetController.name, GarbageCollector.name,
            NamespaceController.name, ServiceAccountController.name, EndpointsController.name, EndpointSliceController.name,
            NodeLifecycleController.name, DaemonSetController.name, JobController.name,
        ]
        public var leaseDuration = Duration.seconds(15)
        public var renewInterval = Duration.seconds(2)
        /// How long a node may stay silent before it is marked Unknown and tainted unreachable.
        public var nodeMonitorGracePeriod = NodeLifecycleController.defaultGracePeriod
        /// How soon a namespace whose content is not all gone is looked at again.
        public var namespaceRetryInterval = Duration.seconds(2)
        /// How long a Job waits before replacing a failed pod (doubled per consecutive failure).
        public var jobBackoff = JobController.defaultBackoff
        /// Distinguishes this server's candidates from another's.
        public var identity = "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.prefix(8))"

        public init() {}
    }

    let authority: CertificateAuthority
    let server: ServerAddress
    let configuration: Configuration
    let logger: Logger

    /// - Parameter server: where the gateway listens, known once it does.
    public init(authority: CertificateAuthority, server: ServerAddress, configuration: Configuration = Configuration(), logger: Logger) {
        self.authority = authority
        self.server = server
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        guard let url = await server.value() else { return }
        let schedulerClient = try ControllerIdentity.scheduler.client(authority: authority, server: url, connections: Scheduler.bindingConcurrency)
        let managerClient = try ControllerIdentity.controllerManager.client(authority: authority, server: url, connections: 2)
        // The shared informers' reads, apart from the Lease so a busy pool never delays its
        // renewal: each watch holds a connection for good, and relists need a few more.
        let readerClient = try ControllerIdentity.controllerManager.client(authority: authority, server: url, connections: 32)
        let controllerClients = try Dictionary(uniqueKeysWithValues: configuration.controllers.map { name in
            (name, try ControllerIdentity.controller(name).client(authority: authority, server: url, connections: 4))
        })
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if configuration.scheduler {
                    group.addTask {
                        await election(schedulerClient, lease: "kube-scheduler").run {
                            await Scheduler(client: schedulerClient, logger: logger).run()
                        }
                    }
                }
                if !controllerClients.isEmpty {
                    group.addTask {
                        await election(managerClient, lease: "kube-controller-manager").run {
                            await runControllers(controllerClients, informers: InformerFactory(client: readerClient, logger: logger))
                        }
                    }
                }
            }
        }
        // Outside this (cancelled) task, so the connections close at once.
        let clients = [schedulerClient, managerClient, readerClient] + Array(controllerClients.values)
        await Task {
            await withTaskGroup(of: Void.self) { group in
                for client in clients { group.addTask { try? await client.http.shutdown() } }
            }
        }.value
    }

    private func election(_ client: APIClient, lease: String) -> LeaderElection {
        LeaderElection(
            client: client, name: lease, identity: configuration.identity, leaseDuration: configuration.leaseDuration,
            renewInterval: configuration.renewInterval, logger: logger
        )
    }

    /// A fresh instance of each controller per term of leadership, sharing fresh informers.
    private func runControllers(_ clients: [String: APIClient], informers: InformerFactory) async {
        let starters = starters(informers)
        await withTaskGroup(of: Void.self) { group in
            for (name, client) in clients {
                if let start = starters[name] { group.addTask { await start(client) } }
            }
        }
    }

    /// How each controller is made and run, by name, given its client.
    private func starters(_ informers: InformerFactory) -> [String: @Sendable (APIClient) async -> Void] {
        let configuration = configuration
        let logger = logger
        return [
            ReplicaSetController.name: { await ReplicaSetController(client: $0, informers: informers, logger: logger).run() },
            DeploymentController.name: { await DeploymentController(client: $0, informers: informers, logger: logger).run() },
            StatefulSetController.name: { await StatefulSetController(client: $0, informers: informers, logger: logger).run() },
            DaemonSetController.name: { await DaemonSetController(client: $0, informers: informers, logger: logger).run() },
            JobController.name: { await JobController(client: $0, informers: informers, backoff: configuration.jobBackoff, logger: logger).run() },
            GarbageCollector.name: { await GarbageCollector(client: $0, informers: informers, logger: logger).run() },
            NamespaceController.name: {
                await NamespaceController(client: $0, informers: informers, retryInterval: configuration.namespaceRetryInterval, logger: logger).run()
            },
            ServiceAccountController.name: { await ServiceAccountController(client: $0, informers: informers, logger: logger).run() },
            EndpointsController.name: { await EndpointsController(client: $0, informers: informers, logger: logger).run() },
            EndpointSliceController.name: { await EndpointSliceController(client: $0, informers: informers, logger: logger).run() },
            NodeLifecycleController.name: {
                await NodeLifecycleController(client: $0, informers: informers, gracePeriod: configuration.nodeMonitorGracePeriod, logger: logger).run()
            },
        ]
    }
}

/// The gateway's URL, set once it listens; readers wait for it.
public final class ServerAddress: Sendable {
    private let state = Mutex<(url: String?, waiters: [CheckedContinuation<String?, Never>])>((nil, []))

    public init() {}

    public func set(_ url: String) {
        let waiters = state.withLock { state in
            state.url = url
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: url) }
    }

    /// The URL, waiting until it is set (nil if the task is cancelled first).
    public func value() async -> String? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let known = state.withLock { state -> String?? in
                    if let url = state.url { return .some(url) }
                    state.waiters.append(continuation)
                    return .none
                }
                if let known { continuation.resume(returning: known) }
            }
        } onCancel: {
            let waiters = state.withLock { state in
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: nil) }
        }
    }
}
