import Foundation
import Glibc

/// A cgroup and everything below it, in every hierarchy of the layout: for the agent to
/// end what an earlier run of it left (processes killed, cgroups removed, deepest first).
public struct CgroupTree: Sendable {
    public let name: String
    public let layout: CgroupLayout

    public init(_ name: String, layout: CgroupLayout) {
        self.name = name
        self.layout = layout
    }

    private var roots: [String] {
        Set(CgroupLayout.controllers.compactMap { layout.hierarchy(of: $0).map { "\($0.path)/\(name)" } }).sorted()
    }

    /// Every cgroup of the tree, children before their parents.
    private var cgroups: [String] {
        roots.flatMap { root -> [String] in
            guard FileManager.default.fileExists(atPath: root) else { return [] }
            // Control files are files; the cgroups below are the directories.
            let below = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).map { "\(root)/\($0)" }.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            return below.sorted { $0.count > $1.count } + [root]
        }
    }

    /// SIGKILLs every process in the tree.
    public func killAll() {
        for cgroup in cgroups {
            let text = (try? String(contentsOfFile: "\(cgroup)/cgroup.procs", encoding: .utf8)) ?? ""
            for pid in text.split(separator: "\n").compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
        }
    }

    /// Removes the tree's cgroups (those still holding processes stay).
    public func remove() {
        for cgroup in cgroups { rmdir(cgroup) }
    }
}
