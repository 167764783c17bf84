import Glibc
import PalisadeAPI

/// Which files a ConfigMap or Secret volume holds: every key as a file of that name, or only
/// the `items` listed (each `key` to its `path`, with its own `mode`).
enum VolumeItems {
    static func files(_ entries: [String: [UInt8]], source: JSONValue, kind: ReferencedKind, defaultMode: mode_t, at field: FieldPath)
        throws(PodConfigError) -> [AtomicVolumeWriter.File]
    {
        let defaultMode = try mode(source["defaultMode"], at: field.child("defaultMode")) ?? defaultMode
        guard let items = source["items"]?.arrayValue else {
            var files: [AtomicVolumeWriter.File] = []
            for (key, contents) in entries.sorted(by: { $0.key < $1.key }) {
                let components = try VolumePath.components(key, at: field.child("items").key(key))
                files.append(AtomicVolumeWriter.File(components: components, contents: contents, mode: defaultMode))
            }
            return files
        }
        var files: [AtomicVolumeWriter.File] = []
        for (index, item) in items.enumerated() {
            let itemField = field.child("items").index(index)
            let key = item["key"]?.stringValue ?? ""
            guard let contents = entries[key] else {
                // An optional source may lack keys; the file is then simply absent.
                if source["optional"]?.boolValue == true { continue }
                let what = kind == .secret ? "secret" : "config"
                throw PodConfigError(.missingKey, at: itemField.child("key"), "\(kind.resource) references non-existent \(what) key: \(key)")
            }
            let components = try VolumePath.components(item["path"]?.stringValue ?? "", at: itemField.child("path"))
            let mode = try mode(item["mode"], at: itemField.child("mode")) ?? defaultMode
            files.append(AtomicVolumeWriter.File(components: components, contents: contents, mode: mode))
        }
        return files
    }

    /// A file mode between 0 and 0777 (JSON carries it in decimal: 0400 is 256).
    private static func mode(_ value: JSONValue?, at field: FieldPath) throws(PodConfigError) -> mode_t? {
        guard let value, !value.isNull else { return nil }
        guard let number = value.intValue, (0...0o777).contains(number) else {
            throw PodConfigError(.invalidSpec, at: field, "must be a number between 0 and 0777 (octal), both inclusive")
        }
        return mode_t(number)
    }
}
