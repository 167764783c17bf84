import ArgumentParser
import PalisadeAPI
import PalisadeClient

/// `kauth tenant show NAME`: owner, Pod Security labels, quota use, limits, network
/// policies and who holds roles in the tenant.
struct TenantShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a tenant's guard rails and members.")

    @Argument(help: "The tenant.")
    var name: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var client: ClientOptions

    static let quotas = APIPath.definition(plural: "resourcequotas", group: "")
    static let limitRanges = APIPath.definition(plural: "limitranges", group: "")
    static let networkPolicies = APIPath.definition(plural: "networkpolicies", group: "networking.k8s.io")

    func run() async throws {
        let tenant = try Names.requireLabel(name, "tenant name")
        let (namespace, quotas, limits, policies, bindings) = try await client.withAPI { api in
            (
                try await Self.requireTenant(tenant, api),
                try await api.list(APIPath.collection(Self.quotas, namespace: tenant)),
                try await api.list(APIPath.collection(Self.limitRanges, namespace: tenant)),
                try await api.list(APIPath.collection(Self.networkPolicies, namespace: tenant)),
                try await api.list(APIPath.collection(RoleReference.roleBindings, namespace: tenant))
            )
        }
        if output.output != .table {
            return try output.print(document: [
                "namespace": namespace, "resourceQuotas": .array(quotas), "limitRanges": .array(limits),
                "networkPolicies": .array(policies), "roleBindings": .array(bindings),
            ], rows: [])
        }
        print("Tenant: \(tenant)")
        print("Owner: \(namespace[path: ["metadata", "annotations", TenantTemplate.ownerAnnotation]]?.stringValue ?? "<none>")")
        print("Status: \(namespace[path: ["status", "phase"]]?.stringValue ?? "")")
        let podSecurity = namespace.labels.filter { $0.key.hasPrefix("pod-security.kubernetes.io/") }.sorted { $0.key < $1.key }
        print("Pod Security: \(podSecurity.map { "\($0.key.dropFirst("pod-security.kubernetes.io/".count))=\($0.value)" }.joined(separator: " "))")
        print("\nQuota:")
        let quotaRows = quotas.flatMap { quota in
            (quota[path: ["spec", "hard"]]?.objectValue ?? [:]).keys.sorted().map { key in
                [quota.name ?? "", key, Quantity.text(of: quota[path: ["status", "used", key]] ?? "0"), Quantity.text(of: quota[path: ["spec", "hard", key]] ?? "")]
            }
        }
        print(quotaRows.isEmpty ? "<none>" : TextTable.render([["QUOTA", "RESOURCE", "USED", "HARD"]] + quotaRows))
        print("\nLimit ranges: \(Self.names(limits))")
        print("Network policies: \(Self.names(policies))")
        print("\nRole bindings:")
        let bindingRows = bindings.flatMap { binding in
            (binding["subjects"]?.arrayValue ?? []).map { subject in
                [binding.name ?? "", "\(binding[path: ["roleRef", "kind"]]?.stringValue ?? "")/\(binding[path: ["roleRef", "name"]]?.stringValue ?? "")",
                 "\(subject["kind"]?.stringValue ?? "")/\(subject["name"]?.stringValue ?? "")"]
            }
        }
        print(bindingRows.isEmpty ? "<none>" : TextTable.render([["BINDING", "ROLE", "SUBJECT"]] + bindingRows))
    }

    private static func names(_ objects: [JSONValue]) -> String {
        objects.isEmpty ? "<none>" : objects.compactMap(\.name).joined(separator: ", ")
    }

    /// The tenant's namespace, or a one-line error when there is no such tenant.
    static func requireTenant(_ tenant: String, _ api: ClusterAPI) async throws -> JSONValue {
        guard let namespace = try await api.get(APIPath.object(APIPath.namespaces, name: tenant)),
            namespace.labels[TenantTemplate.tenantLabel] != nil
        else { throw KauthError("tenant \"\(tenant)\" not found") }
        return namespace
    }
}
