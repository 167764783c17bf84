import PalisadeAPI

/// What an image says about running it (the OCI image config's `config`): the command,
/// environment, working directory and user a container starts with unless the pod says
/// otherwise.
public struct ImageConfig: Sendable, Equatable {
    public var entrypoint: [String] = []
    public var command: [String] = []
    public var environment: [String] = []
    public var workingDirectory: String = ""
    /// `uid[:gid]` or a name; empty for root.
    public var user: String = ""

    public init() {}

    public init(store: ImageStore, image: ImageStore.Image) throws(ImageError) {
        let manifest = try store.json(at: store.blobPath(image.manifest))
        guard let digest = manifest[path: ["config", "digest"]]?.stringValue.flatMap(ContentDigest.init) else {
            throw ImageError("image \(image.name) has no config")
        }
        let config = try store.json(at: store.blobPath(digest))["config"] ?? [:]
        let strings = { (key: String) in (config[key]?.arrayValue ?? []).compactMap(\.stringValue) }
        entrypoint = strings("Entrypoint")
        command = strings("Cmd")
        environment = strings("Env")
        workingDirectory = config["WorkingDir"]?.stringValue ?? ""
        user = config["User"]?.stringValue ?? ""
    }
}
