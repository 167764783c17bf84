import Glibc

extension PodVolumes {
    /// Unmounts every file system under `podDirectory` (the volumes' tmpfs, deepest first)
    /// and removes the directory. Nothing is removed while anything is still mounted there,
    /// and links are removed, never followed. A missing directory is already torn down.
    public static func tearDown(podDirectory: String) throws(PodConfigError) {
        // The mount table lists canonical paths.
        guard let resolved = realpath(podDirectory, nil) else { return }
        let directory = String(cString: resolved)
        free(resolved)
        guard directory != "/" else { throw PodConfigError(.invalidSpec, "refusing to remove /") }
        for point in Tmpfs.mountPoints(under: directory, mountinfo: Tmpfs.currentMountinfo()) { try Tmpfs.unmount(point) }
        let remaining = Tmpfs.mountPoints(under: directory, mountinfo: Tmpfs.currentMountinfo())
        guard remaining.isEmpty else {
            throw PodConfigError(.fileSystem, "\(remaining.joined(separator: ", ")) still mounted; \(directory) kept")
        }
        let slash = directory.lastIndex(of: "/") ?? directory.startIndex
        let parentPath = slash == directory.startIndex ? "/" : String(directory[..<slash])
        try DirectoryHandle.open(parentPath).remove(String(directory[directory.index(after: slash)...]))
    }
}
