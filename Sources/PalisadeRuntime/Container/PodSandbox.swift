import CContainer
import Foundation
import Glibc

/// A pod's shared namespaces: a process holding a network (loopback up), IPC and UTS
/// (hostname) namespace that the pod's containers join, as the pause container does.
public final class PodSandbox: Sendable {
    public let pid: pid_t
    /// Open namespace files, in the order containers join them.
    let namespaceFiles: [Int32]

    public var networkNamespace: Int32 { namespaceFiles[0] }

    public init(hostname: String, cgroup: Cgroup?) throws(ContainerError) {
        var error = [CChar](repeating: 0, count: 256)
        let procs = CStrings(cgroup?.procsFiles ?? [])
        let pid = error.withUnsafeMutableBufferPointer { buffer in palisade_sandbox_start(hostname, procs.array, buffer.baseAddress, buffer.count) }
        guard pid > 0 else { throw ContainerError("pod sandbox: \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))") }
        var files: [Int32] = []
        for kind in ["net", "ipc", "uts"] {
            let file = open("/proc/\(pid)/ns/\(kind)", O_RDONLY | O_CLOEXEC)
            guard file >= 0 else {
                let reason = String(cString: strerror(errno))
                files.forEach { close($0) }
                kill(pid, SIGKILL)
                _ = ChildProcess.waitBlocking(pid)
                throw ContainerError("pod sandbox: opening its \(kind) namespace: \(reason)")
            }
            files.append(file)
        }
        self.pid = pid
        namespaceFiles = files
    }

    /// A TCP connection to the pod's own 127.0.0.1:`port` (for probes), made by a short-lived
    /// child inside the pod's network namespace; the caller owns the socket.
    public func connect(port: Int, timeout: Duration) async throws(ContainerError) -> Int32 {
        let namespace = networkNamespace
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let result: (fd: Int32, error: Int32) = await withCheckedContinuation { continuation in
            let thread = Thread {
                let fd = palisade_connect_in_namespace(namespace, Int32(port), milliseconds)
                continuation.resume(returning: (fd, errno))
            }
            thread.stackSize = 64 * 1024
            thread.start()
        }
        guard result.fd >= 0 else { throw ContainerError("connecting to port \(port): \(String(cString: strerror(result.error)))") }
        return result.fd
    }

    /// Ends the sandbox (its containers must have ended) and reaps it.
    public func stop() async {
        kill(pid, SIGKILL)
        _ = await ChildProcess(pid: pid).exit()
    }

    deinit { namespaceFiles.forEach { close($0) } }
}
