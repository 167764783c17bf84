import ArgumentParser

/// `palisade`: the security-first orchestrator's server (and, later, its node agent).
@main
struct Palisade: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A security-first container orchestrator that speaks the Kubernetes API.",
        subcommands: [ServerCommand.self, SecretsCommand.self, PolicyCommand.self, SeccompCommand.self, ImageCommand.self, ContainerCommand.self, AgentCommand.self]
    )
}
