import CSodium

/// Random bytes from libsodium (the kernel's getrandom underneath).
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        Sodium.ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
        }
        return bytes
    }
}

enum Sodium {
    /// `sodium_init` is idempotent and thread-safe; it fails only without a random source,
    /// and then nothing here may run.
    private static let initialized: Bool = sodium_init() >= 0

    static func ensureInitialized() {
        precondition(initialized, "libsodium could not be initialised (no random source)")
    }
}
