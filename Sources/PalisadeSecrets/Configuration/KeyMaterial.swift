import Foundation

/// New keys: 32 random bytes (right for secretbox and AES-256-GCM), named after the moment they were made
/// (`key-20261128T043100Z`), so a status report shows which key is which generation.
enum KeyMaterial {
    static func newKey(existing: [String], now: Date = Date()) -> EncryptionConfiguration.Key {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = "key-" + formatter.string(from: now)
        var name = base
        var suffix = 2
        while existing.contains(name) {
            name = "\(base)-\(suffix)"
            suffix += 1
        }
        return .init(name: name, secret: SecureRandom.bytes(32))
    }
}
