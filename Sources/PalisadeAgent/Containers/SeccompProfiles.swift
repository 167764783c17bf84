import Foundation
import Synchronization
import PalisadeRuntime

/// The node's seccomp profiles, compiled once each: `RuntimeDefault` is
/// `<directory>/runtime-default.json`, `Localhost` profiles are other files in the
/// directory. Every program reports its denials (``SeccompDenialMonitor``).
final class SeccompProfiles: Sendable {
    let directory: String
    private let compiled = Mutex<[String: SeccompProgram]>([:])

    init(directory: String) {
        self.directory = directory
    }

    /// The program for `choice`; nil for `Unconfined`.
    func program(for choice: ContainerSecurity.Seccomp) throws(ContainerConfigError) -> SeccompProgram? {
        let file: String
        switch choice {
        case .unconfined: return nil
        case .runtimeDefault: file = "runtime-default.json"
        case .localhost(let path): file = path
        }
        if let program = compiled.withLock({ $0[file] }) { return program }
        let path = "\(directory)/\(file)"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ContainerConfigError("seccomp profile \(path) cannot be read")
        }
        do {
            let program = try SeccompProgram(SeccompProfile(json: text), reportDenials: true)
            compiled.withLock { $0[file] = program }
            return program
        } catch {
            throw ContainerConfigError("seccomp profile \(path): \(error)")
        }
    }
}
