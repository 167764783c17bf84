import ArgumentParser
import PalisadeAPI
import PalisadeAuth

/// `kauth risky`: subjects holding dangerous power (wildcards, escalate, bind, impersonate,
/// secret reads, exec/attach, nodes/proxy, pods in kube-system, CSR approval), each with the
/// binding and rule that grant it. The cluster's own system identities are left out unless
/// `--all`; groups that stand for many (`system:authenticated`, `system:serviceaccounts…`)
/// are always shown.
struct RiskyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "risky", abstract: "List subjects holding dangerous permissions.")

    @Flag(help: "Include the cluster's own system identities (system:masters, controllers, nodes).")
    var all = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let risks = try await client.withAPI { try await $0.rbacPolicy().risks() }
        let shown = all ? risks : risks.filter { !Self.isSystemIdentity($0.source.subject) }
        try output.print(
            document: ["kind": "RiskList", "apiVersion": "palisade.dev/v1", "items": .array(shown.map(Self.json))],
            rows: [["POWER", "SUBJECT", "NAMESPACE", "VIA", "RULE"]] + shown.map {
                [$0.power.rawValue, GrantTables.subject($0.source.subject), GrantTables.scope($0.namespace), GrantTables.path($0.source),
                 "\($0.rule.verbs.joined(separator: ",")) \(GrantTables.resources($0.rule))"]
            }
        )
        if output.output == .table && shown.count < risks.count {
            print("(\(risks.count - shown.count) more held by system identities: --all shows them)")
        }
    }

    /// One of the cluster's own identities, expected to hold power.
    static func isSystemIdentity(_ subject: RBACPolicy.Subject) -> Bool {
        switch subject.kind {
        case RBACPolicy.Subject.groupKind:
            return [UserInfo.mastersGroup, "system:nodes"].contains(subject.name)
        case RBACPolicy.Subject.serviceAccountKind:
            return subject.namespace == "kube-system"
        default:
            return subject.name.hasPrefix("system:")
        }
    }

    static func json(_ risk: RBACPolicy.Risk) -> JSONValue {
        var grant = GrantTables.json(RBACPolicy.Grant(source: risk.source, rules: [risk.rule]))
        grant["power"] = .string(risk.power.rawValue)
        return grant
    }
}
