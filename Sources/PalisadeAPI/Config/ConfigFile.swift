import Foundation

/// A configuration file read and decoded in one step: an unreadable file, or any problem the
/// decoder finds, is a ``ConfigFileError`` that names the file (and the line and field).
public enum ConfigFile {
    public static func decode<T>(_ path: String, _ decode: (String) throws(YAMLFieldError) -> T) throws(ConfigFileError) -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigFileError(file: path, YAMLFieldError("cannot read the file"))
        }
        do {
            return try decode(String(decoding: data, as: UTF8.self))
        } catch {
            throw ConfigFileError(file: path, error)
        }
    }
}
