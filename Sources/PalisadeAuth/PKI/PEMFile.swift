import Foundation

/// Reading and writing PEM files; private keys are created with mode 0600 and written
/// atomically, so a crash never leaves a half-written key behind.
public enum PEMFile {
    public static func read(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Writes `text` to `path` with `mode`, through a temporary file and a rename.
    public static func write(_ text: String, to path: String, mode: Int16) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: mode]) else {
            throw PKIError("cannot create \(temporary)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw PKIError("cannot write \(path)")
        }
    }
}

/// A PKI failure; the message names files and subjects, never key material.
public struct PKIError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
