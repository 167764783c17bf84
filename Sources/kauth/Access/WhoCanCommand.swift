import ArgumentParser
import PalisadeAPI
import PalisadeAuth

/// `kauth who-can VERB RESOURCE [-n NS] [--name N]`: every subject RBAC allows, with the
/// binding and role that allow it. Members of `system:masters` may always; they are named
/// in a last line, not in the table.
struct WhoCanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "who-can", abstract: "List the subjects that may do something, and why.")

    @OptionGroup var request: RequestArguments

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let target = try ResourceArgument(request.resource)
        let namespace = try request.checkedNamespace()
        let grants = try await client.withAPI { api in
            if let namespace { try await api.requireNamespace(namespace) }
            return try await api.rbacPolicy().subjects(
                allowedTo: request.verb, apiGroup: target.group, resource: target.resource, namespace: namespace ?? "", name: request.name ?? ""
            )
        }
        try output.print(
            document: ["kind": "WhoCan", "apiVersion": "palisade.dev/v1", "items": .array(grants.map(GrantTables.json))],
            rows: [["SUBJECT", "NAMESPACE", "VIA"]] + grants.map { [GrantTables.subject($0.source.subject), GrantTables.scope($0.namespace), GrantTables.path($0.source)] }
        )
        if output.output == .table { print("(and every member of group \(UserInfo.mastersGroup), which bypasses RBAC)") }
    }
}
