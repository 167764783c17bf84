import Foundation

/// The configuration file on disk: read with a permission check, created on first start,
/// and replaced atomically (a crash leaves the old file or the new one, never half of one).
public struct EncryptionConfigFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Reads and validates the file. It must not be readable or writable by group or others:
    /// the keys in it are the only thing between the database file and the Secrets.
    public func load() throws(EncryptionConfigError) -> EncryptionConfiguration {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw EncryptionConfigError(file: path, "cannot read the file: \(String(cString: strerror(errno)))")
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw EncryptionConfigError(
                file: path, "holds encryption keys but is accessible to group or others (mode \(String(mode, radix: 8))); run chmod 600 \(path)"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncryptionConfigError(file: path, "cannot read the file")
        }
        do {
            return try ConfigurationDecoder.decode(String(decoding: data, as: UTF8.self))
        } catch {
            throw error.located(in: path)
        }
    }

    /// Loads the file, or on first start writes one that encrypts Secrets with a new secretbox key.
    public func loadOrCreateDefault() throws(EncryptionConfigError) -> EncryptionConfiguration {
        if FileManager.default.fileExists(atPath: path) { return try load() }
        let configuration = EncryptionConfiguration(rules: [
            .init(resources: ["secrets"], providers: [.secretbox(keys: [KeyMaterial.newKey(existing: [])])]),
        ])
        try save(configuration)
        return configuration
    }

    /// Replaces the file with `configuration` (mode 0600, through a temporary file and a rename).
    public func save(_ configuration: EncryptionConfiguration) throws(EncryptionConfigError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp-\(UUID().uuidString)"
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw EncryptionConfigError(file: temporary, "cannot create the file")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.write(contentsOf: Data(ConfigurationEncoder.encode(configuration).utf8))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw EncryptionConfigError(file: path, "cannot replace the file") }
        } catch let error as EncryptionConfigError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw EncryptionConfigError(file: path, "cannot write the file")
        }
    }
}
