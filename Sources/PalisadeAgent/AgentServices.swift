import Foundation
import Logging
import PalisadeAPI
import PalisadeControllers
import PalisadeRuntime
import Synchronization

/// What every pod worker of the agent shares: the API, the container runner, the node's
/// directories, user namespace ranges and restart back-offs.
final class AgentServices: Sendable {
    let client: APIClient
    let nodeName: String
    let nodeAddress: String
    let runner: ContainerRunner
    let podsDirectory: String
    let cgroupRoot: String
    let volumeConfiguration: PodVolumeConfiguration
    /// The size a container's log may reach before it is rotated (``ContainerLogCap``).
    let logLimit: Int64
    let userNamespaces = UserNamespaceRanges()
    let logger: Logger
    private let backoffs = Mutex(RestartBackoff())

    init(configuration: AgentConfiguration, client: APIClient, cgroups: CgroupLayout?, cgroupRoot: String, logger: Logger) {
        self.client = client
        nodeName = configuration.nodeName
        nodeAddress = configuration.nodeAddress
        runner = ContainerRunner(
            images: ImageStore(root: configuration.imageStore), profiles: SeccompProfiles(directory: configuration.seccompDirectory),
            cgroups: cgroups, pidsLimit: configuration.podPidsLimit, logger: logger
        )
        podsDirectory = "\(configuration.dataDirectory)/pods"
        volumeConfiguration = PodVolumeConfiguration(localVolumesRoot: "\(configuration.dataDirectory)/volumes")
        logLimit = configuration.containerLogMaxBytes
        self.cgroupRoot = cgroupRoot
        self.logger = logger
    }

    /// ConfigMaps, Secrets and claims, read from the API as the node (the node authorizer
    /// lets it read only those its pods use).
    var lookup: PodObjectLookup {
        let client = client
        func fetch(_ resource: String) -> PodObjectLookup.Fetch {
            { namespace, name in try await client.get("/api/v1/namespaces/\(namespace)/\(resource)/\(name)") }
        }
        return PodObjectLookup(configMap: fetch("configmaps"), secret: fetch("secrets"), persistentVolumeClaim: fetch("persistentvolumeclaims"))
    }

    func environment(_ pod: JSONValue, _ container: PodContainer, _ image: [String]) async throws -> [String] {
        try await ContainerEnvironment(lookup: lookup).variables(
            for: container, in: pod, imageEnvironment: image, facts: .init(hostIPs: [nodeAddress])
        )
    }

    func volumes(_ pod: JSONValue, directory: String) async throws -> PreparedVolumes {
        try await PodVolumes(podDirectory: directory, configuration: volumeConfiguration, lookup: lookup).prepare(pod)
    }

    /// The delay before `key`'s container starts again, given the run that just ended.
    func backoff(after key: String, startedAt: Date?, finishedAt: Date) -> Duration {
        .seconds(backoffs.withLock { $0.containerExited(key, startedAt: startedAt, finishedAt: finishedAt) })
    }

    func forgetBackoffs(of pod: String, containers: [String]) {
        backoffs.withLock { table in
            for name in containers { table.forget("\(pod)/\(name)") }
        }
    }
}
