import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeAdmission

/// `palisade policy check`: Pod Security judged on manifest files, offline, with the code the
/// server enforces with, for CI pipelines. Exit 0 when everything passes, 1 when any object
/// violates the policy, 2 when a file cannot be read or parsed.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Policies, offline.", subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Judge manifests (Pods and workload pod templates) against a Pod Security level."
        )

        @Option(name: [.customShort("f"), .customLong("filename")], help: "A manifest file, or a directory of .yaml/.yml/.json files (repeatable).")
        var files: [String]

        @Option(help: "privileged, baseline or restricted.")
        var level: PodSecurityLevel = .restricted

        @Option(help: "The standard's version: v1.N or latest.")
        var version: PodSecurityVersion = .latest

        func run() throws {
            let check = ManifestCheck(policy: PodSecurityLevelVersion(level, version))
            var objects = 0
            var violating = 0
            for path in try manifestPaths() {
                let findings: [ManifestCheck.Finding]
                do {
                    findings = try Self.findings(in: path, check)
                } catch {
                    throw Self.inputError(error.description)
                }
                objects += findings.count
                for finding in findings where !finding.violations.isEmpty {
                    violating += 1
                    print("\(path):\(finding.line): \(finding.kind) \(finding.name): \(PodSecurityMessage.violates(check.policy, finding.violations))")
                }
            }
            print("\(violating) of \(objects) objects carrying pods violate PodSecurity \"\(check.policy)\"")
            if violating > 0 { throw ExitCode(1) }
        }

        private static func findings(in path: String, _ check: ManifestCheck) throws(ConfigFileError) -> [ManifestCheck.Finding] {
            try ConfigFile.decode(path, check.check)
        }

        /// Input that cannot be judged: said on stderr, exit 2 (violations exit 1).
        private static func inputError(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("palisade policy check: \(message)\n".utf8))
            return ExitCode(2)
        }

        /// The files named, with directories expanded (recursively, sorted).
        private func manifestPaths() throws -> [String] {
            var paths: [String] = []
            for path in files {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw Self.inputError("\(path): no such file or directory")
                }
                guard isDirectory.boolValue else {
                    paths.append(path)
                    continue
                }
                let entries = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
                paths += entries.filter { ["yaml", "yml", "json"].contains(($0 as NSString).pathExtension) }.sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
            }
            return paths
        }
    }
}

extension PodSecurityLevel: ExpressibleByArgument {}

extension PodSecurityVersion: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
