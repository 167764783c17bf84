import PalisadeStore

/// A configuration turned into transformers, looked up by storage key. Objects of resources
/// no rule covers are stored as they are.
public struct EncryptionPolicy: Sendable {
    public let configuration: EncryptionConfiguration
    private let transformers: [RuleTransformer]

    public init(_ configuration: EncryptionConfiguration) {
        self.configuration = configuration
        transformers = configuration.rules.map(RuleTransformer.init)
    }

    /// The transformer for the object under `storageKey`, nil when no rule covers it.
    func transformer(forStorageKey storageKey: String) -> RuleTransformer? {
        guard let (group, resource) = RegistryKey.resource(of: storageKey),
              let index = configuration.rules.firstIndex(where: { $0.matches(group: group, resource: resource) })
        else { return nil }
        return transformers[index]
    }

    /// The bytes to store for `plaintext` under `storageKey`.
    public func seal(_ plaintext: [UInt8], storageKey: String) throws(StoreError) -> [UInt8] {
        guard let transformer = transformer(forStorageKey: storageKey) else { return plaintext }
        do {
            return try transformer.seal(plaintext, storageKey: storageKey)
        } catch {
            throw StoreError(.unreadable, key: storageKey, detail: error.description)
        }
    }

    /// The plaintext of the bytes stored under `storageKey`.
    public func open(_ stored: [UInt8], storageKey: String) throws(StoreError) -> [UInt8] {
        guard let transformer = transformer(forStorageKey: storageKey) else {
            // Identity semantics: an encrypted value is never handed out as if it were plaintext.
            guard !Envelope.isSealed(stored) else {
                throw StoreError(.unreadable, key: storageKey, detail: "the value is encrypted, but no rule of the encryption configuration covers this resource")
            }
            return stored
        }
        do {
            return try transformer.open(stored, storageKey: storageKey)
        } catch {
            throw StoreError(.unreadable, key: storageKey, detail: error.description)
        }
    }

    /// Whether anything under `prefix` may be transformed, so watches of untouched prefixes
    /// (RBAC, say) pass through without an extra task.
    func mayTransform(prefix: String) -> Bool {
        let scope = RegistryKey.scope(ofPrefix: prefix)
        guard let group = scope.group else { return true }
        return configuration.rules.contains { rule in
            rule.resources.contains { ResourcePattern($0).mayMatch(group: group, resource: scope.resource) }
        }
    }
}
