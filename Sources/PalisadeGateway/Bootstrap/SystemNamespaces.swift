import PalisadeAPI

extension ObjectRegistry {
    /// The namespaces every cluster has.
    public static let systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    /// Creates what a new cluster starts with; what exists already is left as it is.
    public func bootstrap() async throws(APIError) {
        let namespaces = NamespaceRules.definition
        for name in Self.systemNamespaces {
            do {
                _ = try await create(namespaces, namespace: nil, body: ["metadata": ["name": .string(name)]], options: WriteOptions())
            } catch where error.code == 409 {
                continue
            }
        }
    }
}
