import Foundation
import Glibc

/// A temporary directory holding a root file system of static busybox (`rootfs/bin`, one
/// link per applet) and room beside it for a test's output files and volumes.
struct BusyboxRoot {
    /// Static busybox on the host, if installed (the Makefile's `busybox-static`).
    static let busybox: String? = ["/bin/busybox", "/usr/bin/busybox"].first { path in
        guard FileManager.default.isExecutableFile(atPath: path), let binary = FileManager.default.contents(atPath: path) else { return false }
        return isStatic(Array(binary))
    }

    /// Whether a 64-bit ELF executable has no PT_INTERP program header: no loader to find
    /// in a bare root.
    static func isStatic(_ elf: [UInt8]) -> Bool {
        func integer(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, offset + size <= elf.count else { return nil }
            return (0..<size).reduce(0) { $0 | Int(elf[offset + $1]) << (8 * $1) }
        }
        guard elf.starts(with: [0x7f, 0x45, 0x4c, 0x46, 2, 1]), let table = integer(0x20, 8), let size = integer(0x36, 2), let count = integer(0x38, 2) else {
            return false
        }
        let interpreter = 3
        return (0..<count).allSatisfy { integer(table + $0 * size, 4).map { $0 != interpreter } ?? false }
    }

    /// Root, with static busybox: what starting a container from such a root needs.
    static var available: Bool { getuid() == 0 && busybox != nil }

    let directory: String
    var rootfs: String { "\(directory)/rootfs" }

    init() throws {
        guard let busybox = Self.busybox else { throw ContainerTestError("no static busybox on this machine") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-container-\(UUID().uuidString)").path
        let bin = "\(directory)/rootfs/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: busybox, toPath: "\(bin)/busybox")
        let list = Process()
        list.executableURL = URL(fileURLWithPath: busybox)
        list.arguments = ["--list"]
        let output = Pipe()
        list.standardOutput = output
        try list.run()
        let applets = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        list.waitUntilExit()
        // `--list` names busybox itself, whose link would replace the binary.
        for applet in applets.split(separator: "\n") where applet != "busybox" {
            try FileManager.default.createSymbolicLink(atPath: "\(bin)/\(applet)", withDestinationPath: "busybox")
        }
    }

    /// A new directory beside the root (for a volume), with `files` written in it.
    func makeDirectory(_ name: String, files: [String: String] = [:]) throws -> String {
        let path = "\(directory)/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (file, text) in files { try text.write(toFile: "\(path)/\(file)", atomically: false, encoding: .utf8) }
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct ContainerTestError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
