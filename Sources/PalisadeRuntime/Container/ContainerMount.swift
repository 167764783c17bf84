/// A host path bound into a container (a volume, or a file the agent made for it).
public struct ContainerMount: Sendable, Equatable {
    /// The host path bound.
    public var source: String
    /// Where it appears, absolute inside the container.
    public var destination: String
    public var readOnly: Bool

    public init(source: String, destination: String, readOnly: Bool) {
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
    }
}
