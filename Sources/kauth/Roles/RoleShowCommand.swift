import ArgumentParser
import PalisadeAPI
import PalisadeAuth
import PalisadeClient

/// `kauth role show NAME [-n NS | --cluster]`: the rules, and every binding that grants the role.
struct RoleShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a role's rules and who holds it.")

    @Argument(help: "The role name.")
    var name: String

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let role = RoleReference(name: try Names.requireSubdomain(name, "role name"), namespace: try scope.resolvedNamespace())
        let (object, policy) = try await client.withAPI { api in (try await role.require(api), try await api.rbacPolicy()) }
        let rules = role.namespace == nil ? policy.effectiveRules(ofClusterRole: role.name) ?? [] : PolicyRule.rules(from: object["rules"])
        let bindings = (Array(policy.clusterRoleBindings.values) + policy.roleBindings.values.flatMap(\.values))
            .filter { $0.roleRef.name == role.name && $0.roleRef.kind == role.kind && (role.namespace == nil || $0.namespace == role.namespace) }
            .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        let grants = bindings.flatMap { binding in
            binding.namedSubjects.map { RBACPolicy.Grant(source: RBACPolicy.RuleSource(binding: binding, subject: $0), rules: rules) }
        }
        if output.output != .table {
            var document = object
            document["kind"] = .string(role.kind)
            document["bindings"] = .array(grants.map(GrantTables.json))
            return try output.print(document: document, rows: [])
        }
        print("\(role.kind): \(role.name)\(role.namespace.map { " (namespace \($0))" } ?? "")\n\nRules:")
        print(rules.isEmpty ? "<none>" : TextTable.render([["VERBS", "RESOURCES"]] + rules.map { [$0.verbs.joined(separator: ","), GrantTables.resources($0)] }))
        print("\nBound to:")
        print(grants.isEmpty ? "<none>" : TextTable.render(GrantTables.bindingRows(grants)))
    }
}
