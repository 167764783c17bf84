import Foundation

/// What the agent knows about one container, to be reported in the pod's status.
public struct ContainerRuntimeState: Sendable, Equatable {
    /// How a container ended.
    public struct Termination: Sendable, Equatable {
        public var exitCode: Int32
        public var signal: Int32?
        /// `Completed`, `Error`, `OOMKilled`, …; by default from the exit code.
        public var reason: String?
        public var message: String?
        public var startedAt: Date?
        public var finishedAt: Date
        /// `palisade://<id>` of the container that ended.
        public var containerID: String?

        public init(
            exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil, startedAt: Date? = nil,
            finishedAt: Date, containerID: String? = nil
        ) {
            self.exitCode = exitCode
            self.signal = signal
            self.reason = reason
            self.message = message
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.containerID = containerID
        }
    }

    public enum State: Sendable, Equatable {
        /// Not running: `ContainerCreating`, `CrashLoopBackOff`, `CreateContainerConfigError`, `ErrImagePull`, …
        case waiting(reason: String, message: String?)
        case running(startedAt: Date)
        case terminated(Termination)
    }

    public var name: String
    public var state: State
    /// The previous run's end, if it ran before.
    public var lastTermination: Termination?
    public var restartCount: Int
    public var ready: Bool
    /// Whether its startup probe passed (or it has none) while running; nil when never reported.
    public var started: Bool?
    /// The image as the pod names it; by default the spec's `image`.
    public var image: String?
    public var imageID: String?
    /// The runtime's id, reported as `palisade://<id>`.
    public var id: String?

    public init(
        name: String, state: State, lastTermination: Termination? = nil, restartCount: Int = 0, ready: Bool = false,
        started: Bool? = nil, image: String? = nil, imageID: String? = nil, id: String? = nil
    ) {
        self.name = name
        self.state = state
        self.lastTermination = lastTermination
        self.restartCount = restartCount
        self.ready = ready
        self.started = started
        self.image = image
        self.imageID = imageID
        self.id = id
    }

    /// A container the agent refused to create, as the kubelet reports a configuration error
    /// (`container has runAsNonRoot and image will run as root`, a missing Secret, …).
    public static func configError(name: String, message: String, restartCount: Int = 0) -> ContainerRuntimeState {
        ContainerRuntimeState(name: name, state: .waiting(reason: "CreateContainerConfigError", message: message), restartCount: restartCount)
    }

    /// The `containerID` form of a runtime id.
    public static func containerID(_ id: String) -> String { "palisade://\(id)" }
}

/// What the agent knows about a pod as a whole.
public struct PodRuntimeState: Sendable, Equatable {
    /// By container name; containers with no entry are reported as waiting to be created.
    public var containers: [ContainerRuntimeState]
    public var initContainers: [ContainerRuntimeState]
    /// The sandbox (namespaces, network) exists: `PodReadyToStartContainers`.
    public var sandboxReady: Bool
    public var podIPs: [String]
    public var hostIPs: [String]
    /// When the agent accepted the pod; kept from the previous status once set.
    public var startTime: Date?
    /// The pod will not run any more containers (deleted, deadline passed): its phase becomes final.
    public var isTerminal: Bool
    /// A pod-level reason and message (`DeadlineExceeded`, `Evicted`, …).
    public var reason: String?
    public var message: String?

    public init(
        containers: [ContainerRuntimeState] = [], initContainers: [ContainerRuntimeState] = [], sandboxReady: Bool = false,
        podIPs: [String] = [], hostIPs: [String] = [], startTime: Date? = nil, isTerminal: Bool = false, reason: String? = nil,
        message: String? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.sandboxReady = sandboxReady
        self.podIPs = podIPs
        self.hostIPs = hostIPs
        self.startTime = startTime
        self.isTerminal = isTerminal
        self.reason = reason
        self.message = message
    }
}
