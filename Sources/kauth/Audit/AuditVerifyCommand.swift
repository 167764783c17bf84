import ArgumentParser
import Foundation
import PalisadeAudit

/// `kauth audit verify`: checks every file of a log against its chain key (and a checkpoint
/// kept elsewhere); exits 1 naming the first line that was tampered with.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check that no audit line was edited, removed, inserted or reordered."
    )

    @Option(help: "The server's data directory (for the default log and keys).")
    var dataDir = "var"

    @Option(help: "The log file; its rotated files are checked too (default: <data-dir>/audit/audit.log).")
    var log: String?

    @Option(help: "The chain key (default: <data-dir>/pki/audit-chain.key).")
    var key: String?

    @Option(help: "A checkpoint exported earlier with `kauth audit checkpoint`: lines removed from the end after it are found too.")
    var checkpoint: String?

    @Option(help: "The checkpoint signing key's public half (default: <data-dir>/pki/audit-checkpoint.pub).")
    var publicKey: String?

    func run() async throws {
        let logPath = log ?? dataDir + "/audit/audit.log"
        let files = AuditLogFiles(path: logPath).all()
        guard !files.isEmpty else { throw KauthError("no audit log at \(logPath)") }
        let verifier = AuditVerifier(key: try AuditKeys.loadChainKey(path: key ?? AuditKeys.chainKeyPath(directory: dataDir + "/pki")))
        let report = verifier.verify(
            files: files, checkpoint: try checkpoint.map { path throws(AuditError) in try AuditCheckpoint.read(path: path) },
            checkpointKey: try checkpoint.map { _ throws(AuditError) in
                try AuditKeys.loadPublicKey(path: publicKey ?? AuditKeys.publicKeyPath(directory: dataDir + "/pki"))
            }
        )
        for notice in report.notices { print("notice: \(notice)") }
        guard let problem = report.problem else {
            let range = report.firstSequence.map { "sequences \($0)…\(report.lastSequence ?? $0)" } ?? "no lines"
            print("OK: \(files.count) file(s), \(report.lines) line(s), \(range): the chain is intact\(checkpoint == nil ? "" : " and covers the checkpoint")")
            return
        }
        print("TAMPERED: \(problem)")
        if report.lines > 0 { print("the chain holds for \(report.lines) line(s) before it") }
        throw ExitCode(1)
    }
}
