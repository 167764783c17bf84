import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeAuth

/// `kauth role create NAME --verb get,list --resource pods[,...] [--api-group G]
/// [--resource-name N] [-n NS | --cluster]`.
struct RoleCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a Role (or with --cluster a ClusterRole).")

    @Argument(help: "The role name.")
    var name: String

    @Option(help: "Verbs, comma-separated (get,list,watch,create,update,patch,delete,… or *).")
    var verb: String

    @Option(help: "Resources, comma-separated (pods, deployments.apps, pods/log, *).")
    var resource: String

    @Option(help: "The API group of the resources (default: the group that serves each).")
    var apiGroup: String?

    @Option(help: "Allow only objects with these names (comma-separated).")
    var resourceName: String?

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let role = RoleReference(name: try Names.requireSubdomain(name, "role name"), namespace: try scope.resolvedNamespace())
        let rules = try Self.rules(verbs: Self.list(verb, "--verb"), resources: Self.list(resource, "--resource"), apiGroup: apiGroup,
                                   names: resourceName.map { try Self.list($0, "--resource-name") } ?? [])
        var metadata: [String: JSONValue] = ["name": .string(role.name)]
        if let namespace = role.namespace { metadata["namespace"] = .string(namespace) }
        let object: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": .string(role.kind), "metadata": .object(metadata),
            "rules": .array(rules.map(\.json)),
        ]
        try await client.withAPI { api in
            if let namespace = role.namespace { try await api.requireNamespace(namespace) }
            try await api.post(APIPath.collection(role.namespace == nil ? RoleReference.clusterRoles : RoleReference.roles, namespace: role.namespace), object)
        }
        print("\(role.description) created")
    }

    /// One rule per API group the resources belong to.
    static func rules(verbs: [String], resources: [String], apiGroup: String?, names: [String]) throws -> [PolicyRule] {
        for verb in verbs where verb != PolicyRule.all && !verb.allSatisfy({ $0.isLowercase && $0.isASCII }) {
            throw KauthError("invalid verb \"\(verb)\": verbs are lower-case words such as get, list, create, or *")
        }
        var byGroup: [(group: String, resources: [String])] = []
        for text in resources {
            let resolved = try ResourceArgument(text, apiGroup: apiGroup)
            if let index = byGroup.firstIndex(where: { $0.group == resolved.group }) {
                byGroup[index].resources.append(resolved.resource)
            } else {
                byGroup.append((resolved.group, [resolved.resource]))
            }
        }
        return byGroup.map { PolicyRule(verbs: verbs, apiGroups: [$0.group], resources: $0.resources, resourceNames: names) }
    }

    /// A comma-separated option's values, none empty.
    static func list(_ text: String, _ option: String) throws -> [String] {
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !values.isEmpty, values.allSatisfy({ !$0.isEmpty }) else { throw KauthError("invalid \(option) \"\(text)\": empty entry") }
        return values
    }
}
