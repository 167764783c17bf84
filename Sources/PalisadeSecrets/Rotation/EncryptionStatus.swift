import PalisadeStore

/// How many stored objects each key protects, per configuration rule.
public struct EncryptionStatus: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var resources: [String]
        /// The key new writes use (`secretbox:key-…`), or `identity (plaintext)`.
        public var writer: String
        /// Objects per protecting key, sorted by key.
        public var objects: [(key: String, count: Int)]

        public static func == (lhs: Rule, rhs: Rule) -> Bool {
            lhs.resources == rhs.resources && lhs.writer == rhs.writer
                && lhs.objects.map(\.key) == rhs.objects.map(\.key) && lhs.objects.map(\.count) == rhs.objects.map(\.count)
        }

        /// Objects not under the writer key.
        public var stale: Int { objects.filter { $0.key != writer }.reduce(0) { $0 + $1.count } }
    }

    public var rules: [Rule]

    /// Counts by the stored prefixes; values are not opened.
    static func measure(_ store: any Store, policy: EncryptionPolicy) async throws -> EncryptionStatus {
        var counts = policy.configuration.rules.map { _ in [StoredKeyID: Int]() }
        try await StoredObjects.forEach(in: store, policy: policy) { item, _, index in
            counts[index][StoredKeyID.of(item.value), default: 0] += 1
        }
        let rules = policy.configuration.rules.enumerated().map { index, rule in
            Rule(
                resources: rule.resources,
                writer: RuleTransformer(rule).writerID.description,
                objects: counts[index].sorted { $0.key < $1.key }.map { ($0.key.description, $0.value) }
            )
        }
        return EncryptionStatus(rules: rules)
    }
}
