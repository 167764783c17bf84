/// Byte-wise key ranges, as etcd's `WithPrefix` computes them.
enum KeyRange {
    /// The smallest key greater than every key that starts with `prefix`
    /// (nil when no such key exists: the range runs to the end).
    static func end(ofPrefix prefix: String) -> String? {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                // A truncated multi-byte sequence would not round-trip through String;
                // keys are ASCII paths, so refuse anything else loudly in debug builds.
                return String(decoding: bytes, as: UTF8.self)
            }
            bytes.removeLast()
        }
        return nil
    }
}
