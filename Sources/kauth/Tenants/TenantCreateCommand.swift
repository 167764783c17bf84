import ArgumentParser
import PalisadeAPI

/// `kauth tenant create NAME --owner USER [--quota cpu=4,memory=8Gi,pods=50]`: the objects
/// of the tenant template, created in order; if one is refused, the ones created are
/// deleted again (newest first) and nothing of the tenant remains.
struct TenantCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a tenant from the tenant template.")

    @Argument(help: "The tenant, which is also its namespace (a DNS-1123 label).")
    var name: String

    @Option(help: "The user who administers the tenant (bound to the admin ClusterRole there).")
    var owner: String

    @Option(help: "Quota overrides, e.g. cpu=4,memory=8Gi,pods=50.")
    var quota: String?

    @Option(help: "The tenant template.")
    var template = TenantTemplate.defaultPath

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let tenant = try Names.requireLabel(name, "tenant name")
        let owner = try Names.requireSubdomain(owner, "owner")
        let objects = try TenantTemplate(path: template).objects(tenant: tenant, owner: owner, quota: TenantTemplate.quota(quota))
        try await client.withAPI { api in
            _ = try await api.requireUser(owner)
            if try await api.get(APIPath.object(APIPath.namespaces, name: tenant)) != nil {
                throw KauthError("namespace \"\(tenant)\" already exists")
            }
            var created: [String] = []
            for (definition, object) in objects {
                do {
                    try await api.post(APIPath.collection(definition, namespace: object.namespace), object)
                    created.append(APIPath.object(definition, namespace: object.namespace, name: object.name ?? ""))
                } catch {
                    for path in created.reversed() { _ = try? await api.delete(path) }
                    throw KauthError("tenant \"\(tenant)\" not created (rolled back): \(definition.kind) \"\(object.name ?? "")\": \(error)")
                }
            }
        }
        print("tenant \"\(tenant)\" created, owned by \"\(owner)\" (\(objects.map { $0.definition.kind }.joined(separator: ", ")))")
    }
}
