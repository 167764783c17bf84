import Foundation
import Glibc
import PalisadeAPI

/// Writes a ConfigMap's or Secret's files into a volume the way the kubelet's atomic writer
/// does, so a container never sees half an update:
///
/// ```
/// volume/..2026_05_01_10_00_00.123456789/key   the files of this version
/// volume/..data -> ..2026_05_01_10_00_00.123456789
/// volume/key -> ..data/key                      what the container opens
/// ```
///
/// A new version is written into a fresh hidden directory, then `..data` is swapped to it with
/// one `rename(2)`, then the old version goes. Links are relative, so they resolve inside the
/// container too, and nothing is written through a link.
enum AtomicVolumeWriter {
    struct File: Sendable, Equatable {
        /// Checked with ``VolumePath``.
        var components: [String]
        var contents: [UInt8]
        var mode: mode_t
    }

    static let dataLink = "..data"
    private static let stagingLink = "..data_tmp"

    static func write(_ files: [File], into volume: String) throws(PodConfigError) {
        var seen = Set<[String]>()
        for file in files where !seen.insert(file.components).inserted {
            throw PodConfigError(.invalidSpec, "two items write the same path \"\(file.components.joined(separator: "/"))\"")
        }
        let root = try DirectoryHandle.open(volume)
        let version = versionName()
        let versionDirectory = try root.makeChild(version, mode: 0o755)
        for file in files {
            var directory = versionDirectory
            for component in file.components.dropLast() { directory = try directory.makeChild(component, mode: 0o755) }
            try directory.writeNewFile(file.components.last!, contents: file.contents, mode: file.mode)
        }

        try root.remove(stagingLink)
        try root.makeLink(stagingLink, to: version)
        try root.rename(stagingLink, over: dataLink)

        let visible = Set(files.map { $0.components[0] })
        for name in visible where root.linkTarget(name) != "\(dataLink)/\(name)" {
            try root.remove(name)
            try root.makeLink(name, to: "\(dataLink)/\(name)")
        }
        // Old versions, leftovers of an interrupted write, and names the new version dropped.
        for entry in try root.entries() where entry != dataLink && entry != version && !visible.contains(entry) {
            try root.remove(entry)
        }
    }

    /// `..2026_05_01_10_00_00.123456789_42`: sortable, and unique per write.
    private static func versionName() -> String {
        let now = Date()
        let date = Timestamp.format(now).dropLast().map { $0.isNumber ? $0 : "_" }
        let nanoseconds = Int((now.timeIntervalSince1970 * 1e9).truncatingRemainder(dividingBy: 1e9))
        return "..\(String(date)).\(nanoseconds)_\(UInt32.random(in: 0...UInt32.max))"
    }
}
