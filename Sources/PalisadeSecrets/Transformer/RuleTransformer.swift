/// The providers of one configuration rule, ready to use: the first provider's first key
/// seals, and a stored value is opened by the provider and key its prefix names.
struct RuleTransformer: Sendable {
    /// The writer; nil when `identity` comes first (values are stored as they are).
    let writer: (id: StoredKeyID, prefix: [UInt8], cipher: any Cipher)?
    private let readers: [String: [String: any Cipher]]
    private let readsPlaintext: Bool

    init(_ rule: EncryptionConfiguration.Rule) {
        var readers: [String: [String: any Cipher]] = [:]
        for provider in rule.providers {
            for key in provider.keys where readers[provider.name]?[key.name] == nil {
                readers[provider.name, default: [:]][key.name] = Self.cipher(provider, key: key)
            }
        }
        self.readers = readers
        readsPlaintext = rule.providers.contains(.identity)
        if let first = rule.providers.first, let key = first.keys.first {
            writer = (.sealed(provider: first.name, key: key.name), Envelope.prefix(provider: first.name, key: key.name), Self.cipher(first, key: key))
        } else {
            writer = nil
        }
    }

    private static func cipher(_ provider: EncryptionConfiguration.Provider, key: EncryptionConfiguration.Key) -> any Cipher {
        switch provider {
        case .secretbox: SecretboxCipher(key: key.secret)
        case .aesgcm: AESGCMCipher(key: key.secret)
        case .identity: preconditionFailure("identity has no keys")
        }
    }

    var writerID: StoredKeyID { writer?.id ?? .plaintext }

    func seal(_ plaintext: [UInt8], storageKey: String) throws(TransformError) -> [UInt8] {
        guard let writer else { return plaintext }
        do {
            return writer.prefix + (try writer.cipher.seal(plaintext, context: Array(storageKey.utf8)))
        } catch {
            throw TransformError("cannot encrypt with key \(writer.id): \(error)")
        }
    }

    func open(_ stored: [UInt8], storageKey: String) throws(TransformError) -> [UInt8] {
        guard Envelope.isSealed(stored) else {
            guard readsPlaintext else {
                throw TransformError("the stored value is not encrypted, and the configuration lists no identity provider to read it")
            }
            return stored
        }
        guard let envelope = Envelope.parse(stored) else { throw TransformError("the stored value has a malformed k8s:enc: prefix") }
        guard let keys = readers[envelope.provider] else {
            throw TransformError("the value was sealed by provider \(envelope.provider), which the configuration does not list for this resource")
        }
        guard let cipher = keys[envelope.key] else {
            throw TransformError("key \"\(envelope.key)\" of provider \(envelope.provider) is not in the configuration (configured: \(keys.keys.sorted().joined(separator: ", ")))")
        }
        do {
            return try cipher.open(envelope.payload, context: Array(storageKey.utf8))
        } catch {
            throw TransformError("cannot decrypt with key \"\(envelope.key)\" of provider \(envelope.provider): \(error)")
        }
    }
}

/// A value that cannot be sealed or opened; names keys and providers, never bytes.
struct TransformError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
