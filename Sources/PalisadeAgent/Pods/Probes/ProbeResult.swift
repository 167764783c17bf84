/// What one run of a probe found.
public enum ProbeResult: Sendable, Equatable {
    case success
    /// With the reason, for the container's events (`HTTP probe failed with statuscode: 500`).
    case failure(String)

    public var succeeded: Bool { self == .success }
}
