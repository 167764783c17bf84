import Foundation

/// Where this machine's cgroup controllers are mounted: the unified (v2) hierarchy, the v1
/// hierarchies by controller, or both — the hybrid layout of systemd's older default (v1
/// controllers, a unified hierarchy holding few or none of them), which crun refuses and
/// Palisade handles: each controller is used where it is actually enabled.
public struct CgroupLayout: Sendable, Equatable {
    /// The controllers Palisade sets limits with.
    public static let controllers = ["memory", "cpu", "pids"]

    /// The cgroup2 mount, if any, and the controllers enabled in it.
    public var unified: (path: String, controllers: Set<String>)?
    /// v1 mount points by controller.
    public var legacy: [String: String]

    public static func == (a: CgroupLayout, b: CgroupLayout) -> Bool {
        a.unified?.path == b.unified?.path && a.unified?.controllers == b.unified?.controllers && a.legacy == b.legacy
    }

    /// Reads `/proc/self/mountinfo` (and the unified hierarchy's `cgroup.controllers`).
    public static func detect() throws(CgroupError) -> CgroupLayout {
        guard let mountinfo = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else {
            throw CgroupError("cannot read /proc/self/mountinfo")
        }
        return parse(mountinfo: mountinfo) { path in try? String(contentsOfFile: "\(path)/cgroup.controllers", encoding: .utf8) }
    }

    /// - Parameter controllersOf: the content of `cgroup.controllers` in a cgroup2 mount.
    static func parse(mountinfo: String, controllersOf: (String) -> String?) -> CgroupLayout {
        var layout = CgroupLayout(unified: nil, legacy: [:])
        for line in mountinfo.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let mount = halves[0].split(separator: " ")
            let filesystem = halves[1].split(separator: " ")
            guard mount.count >= 5, filesystem.count >= 3 else { continue }
            let point = String(mount[4])
            switch filesystem[0] {
            case "cgroup2":
                let enabled = Set((controllersOf(point) ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
                layout.unified = (point, enabled)
            case "cgroup":
                for option in filesystem[2].split(separator: ",") where controllers.contains(String(option)) {
                    layout.legacy[String(option)] = point
                }
            default:
                continue
            }
        }
        return layout
    }

    /// Where `controller` is to be used: the unified hierarchy when it is enabled there,
    /// else its v1 hierarchy.
    public func hierarchy(of controller: String) -> (path: String, version: Int)? {
        if let unified, unified.controllers.contains(controller) { return (unified.path, 2) }
        return legacy[controller].map { ($0, 1) }
    }
}

public struct CgroupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
