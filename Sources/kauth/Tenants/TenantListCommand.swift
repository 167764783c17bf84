import ArgumentParser
import PalisadeAPI

/// `kauth tenant list`: the namespaces labelled as tenants, with owner and Pod Security level.
struct TenantListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tenants.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let namespaces = try await client.withAPI { api in
            try await api.list(APIPath.collection(APIPath.namespaces) + "?labelSelector=\(TenantTemplate.tenantLabel)")
        }
        try output.print(
            document: ["kind": "NamespaceList", "apiVersion": "v1", "items": .array(namespaces)],
            rows: [["NAME", "OWNER", "ENFORCE", "STATUS"]] + namespaces.map { namespace in
                [
                    namespace.name ?? "", namespace[path: ["metadata", "annotations", TenantTemplate.ownerAnnotation]]?.stringValue ?? "",
                    namespace.labels["pod-security.kubernetes.io/enforce"] ?? "", namespace[path: ["status", "phase"]]?.stringValue ?? "",
                ]
            }
        )
    }
}
