import ArgumentParser
import PalisadeAPI
import PalisadeAuth
import PalisadeClient

/// `kauth user show NAME`: the user's certificates and the bindings that name them or one
/// of their groups.
struct UserShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a user's certificates and bindings.")

    @Argument(help: "The user name.")
    var name: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let user = try Names.requireSubdomain(name, "user name")
        let (records, grants) = try await client.withAPI { api in
            let records = try await api.requireUser(user)
            let groups = Set(records.filter { $0.isValid() }.flatMap(\.groups)).sorted()
            return (records, try await api.rbacPolicy().grants(to: UserInfo(name: user, groups: groups)))
        }
        let document: JSONValue = [
            "name": .string(user), "certificates": .array(records.map(\.json)), "bindings": .array(grants.map(GrantTables.json)),
        ]
        if output.output != .table { return try output.print(document: document, rows: []) }
        print("User: \(user)\n\nCertificates:")
        print(TextTable.render(UserTables.certificateRows(records, withUser: false)))
        print("\nBindings:")
        print(grants.isEmpty ? "<none>" : TextTable.render(GrantTables.bindingRows(grants)))
    }
}
