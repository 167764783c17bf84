import ArgumentParser
import Foundation
import Glibc
import PalisadeRuntime

/// `palisade seccomp check|exec`: a seccomp profile checked, or a command run under it, as
/// the node agent will confine containers (the filter loaded last, just before `exec`, with
/// `no_new_privs`). `exec` is also how the tests prove what a profile denies.
struct SeccompCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seccomp", abstract: "Seccomp profiles (the OCI JSON form).", subcommands: [Check.self, Exec.self]
    )

    static func load(_ path: String) throws -> (SeccompProfile, SeccompFilter) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("\(path): cannot be read") }
        do {
            let profile = try SeccompProfile(json: text)
            return (profile, try SeccompFilter(profile))
        } catch let error as SeccompProfileError {
            throw ValidationError("\(path): \(error)")
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Parse a profile and compile it for this machine.")

        @Argument(help: "The profile, e.g. policies/seccomp/runtime-default.json.")
        var profile: String

        func run() throws {
            let (parsed, filter) = try SeccompCommand.load(profile)
            let names = parsed.rules.reduce(0) { $0 + $1.names.count }
            print("\(profile): \(parsed.rules.count) rules naming \(names) system calls, default \(parsed.defaultAction)")
            if !filter.unknownNames.isEmpty {
                print("unknown to this machine's libseccomp (left to the default): \(filter.unknownNames.joined(separator: " "))")
            }
        }
    }

    struct Exec: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a command confined by a profile.")

        @Option(help: "The profile.")
        var profile: String

        @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).")
        var command: [String]

        func run() throws {
            let argv = command.first == "--" ? Array(command.dropFirst()) : command
            guard let program = argv.first else { throw ValidationError("a command to run is required") }
            let (_, filter) = try SeccompCommand.load(profile)
            try filter.load()
            var cArguments = argv.map { strdup($0) } + [nil]
            execvp(program, &cArguments)
            // Only reached when exec failed.
            FileHandle.standardError.write(Data("palisade seccomp exec: \(program): \(String(cString: strerror(errno)))\n".utf8))
            Foundation.exit(127)
        }
    }
}
