import Foundation

/// The two configurations of a rotation: every rule that encrypts gets a new first key in its
/// writing provider; once everything is rewritten, the rotated rules keep only that key
/// (and `identity`, when listed, so plaintext stays readable as the operator asked).
struct RotationPlan {
    let withNewKeys: EncryptionConfiguration
    let retired: EncryptionConfiguration
    /// The new key of each rotated rule, by rule index.
    let newKeys: [Int: String]
    let retiredKeys: [String]

    init(_ current: EncryptionConfiguration, now: Date = Date()) throws(EncryptionConfigError) {
        var adding = current
        var retiring = current
        var newKeys: [Int: String] = [:]
        var retiredKeys: [String] = []
        for (index, rule) in current.rules.enumerated() {
            guard let writer = rule.providers.first, writer != .identity else { continue }
            let existing = rule.providers.flatMap(\.keys).map(\.name)
            let key = KeyMaterial.newKey(existing: existing, now: now)
            newKeys[index] = key.name
            adding.rules[index].providers[0] = writer.with(keys: [key] + writer.keys)
            retiring.rules[index].providers = [writer.with(keys: [key])] + rule.providers.dropFirst().filter { $0 == .identity }
            retiredKeys += rule.providers.flatMap { provider in provider.keys.map { "\(provider.name):\($0.name)" } }
        }
        guard !newKeys.isEmpty else {
            throw EncryptionConfigError("nothing to rotate: identity is the first provider of every rule, so nothing is encrypted")
        }
        withNewKeys = adding
        retired = retiring
        self.newKeys = newKeys
        self.retiredKeys = retiredKeys
    }
}
