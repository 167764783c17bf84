import PalisadeAPI
import PalisadeRuntime

/// The process a container runs, as Kubernetes decides it: the pod's `command` replaces the
/// image's entrypoint (and then its `Cmd` too), the pod's `args` replace the image's `Cmd`,
/// and `$(NAME)` in either expands from the container's environment.
enum ContainerCommandLine {
    static func arguments(container: JSONValue, image: ImageConfig, environment: [String]) -> [String] {
        let command = container["command"]?.arrayValue?.compactMap(\.stringValue)
        let args = container["args"]?.arrayValue?.compactMap(\.stringValue)
        let entrypoint = command ?? image.entrypoint
        let rest = args ?? (command == nil ? image.command : [])
        return (entrypoint + rest).map { EnvironmentExpansion.expand($0, withEntries: environment) }
    }
}
