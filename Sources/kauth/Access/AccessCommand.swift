import ArgumentParser
import PalisadeAPI
import PalisadeAuth

/// `kauth access SUBJECT`: what a user, group or service account may do, per namespace,
/// with the binding each rule comes through. SUBJECT is `alice` (a user: the groups of their
/// valid certificates and `system:authenticated` count too), `group:dev`, or
/// `serviceaccount:NS:NAME`.
struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "access", abstract: "Show what a user, group or service account may do.")

    @Argument(help: "USER, group:GROUP or serviceaccount:NAMESPACE:NAME.")
    var subject: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let grants = try await client.withAPI { api in
            try await api.rbacPolicy().grants(to: try await identity(api))
        }
        try output.print(
            document: ["kind": "Access", "apiVersion": "palisade.dev/v1", "subject": .string(subject), "items": .array(grants.map(GrantTables.json))],
            rows: GrantTables.ruleRows(grants)
        )
    }

    /// The identity the subject stands for.
    private func identity(_ api: ClusterAPI) async throws -> UserInfo {
        if subject.hasPrefix("group:") {
            // A nameless member: only bindings to the group itself apply.
            return UserInfo(name: "", groups: [try Names.requireGroup(String(subject.dropFirst("group:".count)))])
        }
        for prefix in ["serviceaccount:", "system:serviceaccount:"] where subject.hasPrefix(prefix) {
            let account = try SubjectOptions.serviceAccount(String(subject.dropFirst(prefix.count)))
            try await BindingSubject.requireExists(account, api)
            return UserInfo(
                name: "system:serviceaccount:\(account.namespace):\(account.name)",
                groups: ["system:serviceaccounts", "system:serviceaccounts:\(account.namespace)", UserInfo.authenticatedGroup]
            )
        }
        let user = try Names.requireSubdomain(subject.hasPrefix("user:") ? String(subject.dropFirst(5)) : subject, "user name")
        let groups = Set(try await api.requireUser(user).filter { $0.isValid() }.flatMap(\.groups) + [UserInfo.authenticatedGroup])
        return UserInfo(name: user, groups: groups.sorted())
    }
}
