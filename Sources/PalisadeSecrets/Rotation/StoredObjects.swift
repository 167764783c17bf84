import PalisadeStore

/// Walks every stored object of the resources an encryption policy covers, page by page,
/// with the raw (sealed) values.
enum StoredObjects {
    static let pageSize = 500

    static func forEach(
        in store: any Store, policy: EncryptionPolicy,
        _ body: (KeyValue, RuleTransformer, _ ruleIndex: Int) async throws -> Void
    ) async throws {
        var after: String?
        repeat {
            let page = try await store.range(prefix: RegistryKey.root, startAfter: after, limit: pageSize, revision: nil)
            for item in page.items {
                guard let (group, resource) = RegistryKey.resource(of: item.key),
                      let index = policy.configuration.rules.firstIndex(where: { $0.matches(group: group, resource: resource) }),
                      let transformer = policy.transformer(forStorageKey: item.key)
                else { continue }
                try await body(item, transformer, index)
            }
            after = page.hasMore ? page.items.last?.key : nil
        } while after != nil
    }
}
