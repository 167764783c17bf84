import ArgumentParser

/// `VERB RESOURCE [-n NS] [--name N]`: the request `can-i` and `who-can` ask about.
struct RequestArguments: ParsableArguments {
    @Argument(help: "The verb: get, list, create, …")
    var verb: String

    @Argument(help: "The resource: pods, deployments.apps, pods/exec, …")
    var resource: String

    @Option(name: .shortAndLong, help: "The namespace (default: cluster-wide).")
    var namespace: String?

    @Option(help: "One object's name.")
    var name: String?

    /// The namespace, checked; nil when cluster-wide.
    func checkedNamespace() throws -> String? {
        try namespace.map { try Names.requireLabel($0, "namespace") }
    }
}
