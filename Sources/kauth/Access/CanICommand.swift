import ArgumentParser
import PalisadeAPI

/// `kauth can-i VERB RESOURCE [-n NS] [--name N] --as U [--as-group G]...`: the server's own
/// answer (a SubjectAccessReview), `yes` (exit 0) or `no` with the reason (exit 1).
struct CanICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "can-i", abstract: "Ask the server whether a user may do something.")

    @OptionGroup var request: RequestArguments

    @Option(name: .customLong("as"), help: "The user asked about.")
    var user: String

    @Option(name: .customLong("as-group"), help: "A group of that user (repeatable).")
    var groups: [String] = []

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let target = try ResourceArgument(request.resource)
        let namespace = try request.checkedNamespace()
        var attributes: [String: JSONValue] = [
            "verb": .string(request.verb), "group": .string(target.group), "resource": .string(target.plural),
        ]
        if !target.subresource.isEmpty { attributes["subresource"] = .string(target.subresource) }
        if let namespace { attributes["namespace"] = .string(namespace) }
        if let name = request.name { attributes["name"] = .string(name) }
        let review: JSONValue = [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
            "spec": [
                "user": .string(try Names.requireIdentity(user, "user name")),
                "groups": .array(try groups.map(Names.requireGroup).map(JSONValue.string)), "resourceAttributes": .object(attributes),
            ],
        ]
        let status = try await client.withAPI { api in
            if let namespace { try await api.requireNamespace(namespace) }
            return try await api.post("/apis/authorization.k8s.io/v1/subjectaccessreviews", review)["status"]
        }
        let reason = status?["reason"]?.stringValue ?? ""
        if status?["allowed"]?.boolValue == true {
            print("yes" + (reason.isEmpty ? "" : " (\(reason))"))
        } else {
            print("no" + (reason.isEmpty ? "" : " (\(reason))"))
            throw ExitCode(1)
        }
    }
}
