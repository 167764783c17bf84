import CContainer
import Foundation
import Glibc

/// Answers the calls a container's seccomp filter reports (``SeccompProgram`` compiled with
/// `reportDenials`): each is failed with the profile's error and told to `report` with the
/// system call's name, so a user can see why something failed. The listener closes when
/// every process under the filter has exited, and the monitor with it.
public enum SeccompDenialMonitor {
    public struct Denial: Sendable {
        public let syscall: String
        public let pid: pid_t
        public let error: Int32
    }

    public static func start(listener: Int32, program: SeccompProgram, report: @escaping @Sendable (Denial) -> Void) {
        let errors = program.denialErrors
        let thread = Thread {
            defer { close(listener) }
            var id: UInt64 = 0
            var number: Int32 = 0
            var pid: pid_t = 0
            while palisade_seccomp_receive(listener, &id, &number, &pid) == 0 {
                let error = errors[number] ?? EPERM
                _ = palisade_seccomp_respond(listener, id, error)
                report(Denial(syscall: SeccompFilter.name(ofSyscall: number), pid: pid, error: error))
            }
        }
        thread.stackSize = 128 * 1024
        thread.start()
    }
}
