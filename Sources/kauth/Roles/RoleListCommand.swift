import ArgumentParser
import PalisadeAPI
import PalisadeAuth

/// `kauth role list [-n NS | --cluster]`: Roles of a namespace, or ClusterRoles; with
/// neither, both (Roles of every namespace).
struct RoleListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List Roles and ClusterRoles.")

    @Option(name: .shortAndLong, help: "Only the Roles of this namespace.")
    var namespace: String?

    @Flag(help: "Only ClusterRoles.")
    var cluster = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func validate() throws {
        if cluster && namespace != nil { throw ValidationError("give -n/--namespace or --cluster, not both") }
    }

    func run() async throws {
        let namespace = try namespace.map { try Names.requireLabel($0, "namespace") }
        let items = try await client.withAPI { api -> [JSONValue] in
            if let namespace { try await api.requireNamespace(namespace) }
            var items: [JSONValue] = []
            if !cluster {
                items += try await api.list(APIPath.collection(RoleReference.roles, namespace: namespace)).map { Self.kind($0, "Role") }
            }
            if namespace == nil {
                items += try await api.list(APIPath.collection(RoleReference.clusterRoles)).map { Self.kind($0, "ClusterRole") }
            }
            return items
        }
        let rows = items.map { item in
            [item.kind ?? "", item.namespace ?? "", item.name ?? "", String(PolicyRule.rules(from: item["rules"]).count)]
        }
        try output.print(
            document: ["kind": "List", "apiVersion": "v1", "items": .array(items)], rows: [["KIND", "NAMESPACE", "NAME", "RULES"]] + rows
        )
    }

    private static func kind(_ item: JSONValue, _ kind: String) -> JSONValue {
        var item = item
        item["kind"] = .string(kind)
        return item
    }
}
