import Crypto
import Foundation
import PalisadeAPI
import Testing

@testable import PalisadeAudit

@Suite struct AuditLogTests {
    @Test func everyEventIsOneChainedLineWithItsFields() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in try await AuditLogHarness.write(50, to: log) }
        let lines = try harness.lines().filter { !$0.isEmpty }
        #expect(lines.count == 50)
        let first = try JSONParser.parse(lines[0])
        #expect(first["kind"] == "Event")
        #expect(first["apiVersion"] == "audit.k8s.io/v1")
        #expect(first[path: ["annotations", AuditLine.sequenceKey]] == "1")
        #expect(first[path: ["annotations", AuditLine.previousKey]] == .string(AuditLine.genesis))
        #expect(first[path: ["annotations", "authorization.k8s.io/decision"]] == "allow")
        let report = try harness.verify()
        #expect(report.intact)
        #expect(report.lines == 50)
        #expect(report.lastSequence == 50)
        let mode = try FileManager.default.attributesOfItem(atPath: harness.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func anEditedLineIsNamed() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in try await AuditLogHarness.write(10, to: log) }
        var lines = try harness.lines()
        lines[4] = lines[4].replacingOccurrences(of: "\"verb\":\"create\"", with: "\"verb\":\"get\"")
        try harness.rewrite(lines)
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .edited)
        #expect(problem.location.hasSuffix("audit.log:5"))
    }

    @Test func aRemovedLineIsNamedWithTheMissingSequence() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in try await AuditLogHarness.write(10, to: log) }
        var lines = try harness.lines()
        lines.remove(at: 3)
        try harness.rewrite(lines)
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .removed)
        #expect(problem.location.hasSuffix("audit.log:4"))
        #expect(problem.message.contains("sequence 4"))
    }

    @Test func reorderedDuplicatedAndInsertedLinesAreNamed() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in try await AuditLogHarness.write(10, to: log) }
        let original = try harness.lines()

        var swapped = original
        swapped.swapAt(5, 6)
        try harness.rewrite(swapped)
        #expect(try harness.verify().problem?.kind == .reordered)
        #expect(try harness.verify().problem?.location.hasSuffix("audit.log:6") == true)

        var duplicated = original
        duplicated.insert(original[2], at: 3)
        try harness.rewrite(duplicated)
        #expect(try harness.verify().problem?.kind == .duplicated)

        var inserted = original
        inserted.insert(original[2].replacingOccurrences(of: "object-", with: "forged-"), at: 3)
        try harness.rewrite(inserted)
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .inserted)
        #expect(problem.location.hasSuffix("audit.log:4"))
    }

    @Test func aTruncatedTailIsReportedButTheChainHolds() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in try await AuditLogHarness.write(5, to: log) }
        var lines = try harness.lines()
        lines[5] = String(lines[4].prefix(40))
        try harness.rewrite(lines)
        let report = try harness.verify()
        #expect(report.intact)
        #expect(report.lines == 5)
        #expect(report.notices.map(\.kind) == [.truncatedTail])
    }

    @Test func theChainContinuesAcrossRestartsAndATornLine() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in try await AuditLogHarness.write(5, to: log) }
        // A crash in the middle of a write leaves half a line.
        let handle = try #require(FileHandle(forWritingAtPath: harness.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"Event\",\"level\":\"Meta".utf8))
        try handle.close()
        try await harness.run { log in
            #expect(log.head.sequence == 5)
            try await AuditLogHarness.write(5, to: log)
        }
        let report = try harness.verify()
        #expect(report.intact)
        #expect(report.lines == 10)
        #expect(report.notices.map(\.kind) == [.torn])
    }

    @Test func rotationKeepsTheChainAndPrunesOldFiles() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run({ $0.maxSize = 4096; $0.maxBackups = 3 }) { log in
            for _ in 0..<12 {
                try await AuditLogHarness.write(4, to: log)
                try await Task.sleep(for: .milliseconds(3))
            }
        }
        let files = AuditLogFiles(path: harness.path)
        #expect(files.backups().count == 3)
        let report = try harness.verify()
        #expect(report.intact)
        #expect(report.lastSequence == 48)
        // Older files were pruned: the log now starts later, and says so.
        #expect(report.firstSequence! > 1)
        #expect(report.notices.contains { $0.kind == .chainBreak })
    }

    @Test func aCheckpointRevealsLinesRemovedFromTheEnd() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        let checkpoint = try await harness.run { log in
            try await AuditLogHarness.write(8, to: log)
            return try log.checkpoint()
        }
        #expect(checkpoint.sequence == 8)
        #expect(try harness.verify(checkpoint: checkpoint).intact)
        try harness.rewrite(Array(try harness.lines().prefix(6)) + [""])
        #expect(try harness.verify().intact, "the chain alone cannot see a cut at a line boundary")
        let problem = try #require(try harness.verify(checkpoint: checkpoint).problem)
        #expect(problem.kind == .removed)
        #expect(problem.message.contains("2 line(s) removed from the end"))
        var forged = checkpoint
        forged.sequence = 4
        #expect(try harness.verify(checkpoint: forged).problem?.kind == .checkpoint)
        // The writer leaves a signed checkpoint file on shutdown.
        let written = try AuditCheckpoint.read(path: harness.configuration().checkpointPath)
        let publicKey = try harness.keys.signing.publicKey
        #expect(written.sequence == 8)
        #expect(written.isSigned(by: publicKey))
    }

    @Test func anUnwritableLogRefusesAndRecoversWithTheEventsInFlight() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in
            try await AuditLogHarness.write(3, to: log)
            // The log is moved away and a directory takes its name: the file cannot be reopened.
            try FileManager.default.moveItem(atPath: harness.path, toPath: harness.path + ".moved")
            try FileManager.default.createDirectory(atPath: harness.path, withIntermediateDirectories: false)
            await #expect(throws: AuditError.self) { try await log.record(AuditLogHarness.event(100), durable: true) }
            #expect(log.failure != nil)
            await #expect(throws: AuditError.self) { try await log.record(AuditLogHarness.event(101), durable: true) }
            try FileManager.default.removeItem(atPath: harness.path)
            var recovered = false
            for _ in 0..<200 where !recovered {
                try await Task.sleep(for: .milliseconds(20))
                recovered = log.failure == nil
            }
            #expect(recovered)
            try await log.record(AuditLogHarness.event(102), durable: true)
        }
        // The refused event that was in flight is written first, then the next one.
        let lines = try harness.lines().filter { !$0.isEmpty }
        #expect(lines.count == 2)
        #expect(lines[0].contains("object-100") && lines[1].contains("object-102"))
        let report = AuditVerifier(key: try harness.keys.chain).verify(files: [harness.path + ".moved", harness.path])
        #expect(report.intact)
        #expect(report.lines == 5)
    }

    @Test func eventsOfManyConcurrentWritersAllLandInOrderOfTheChain() async throws {
        let harness = try AuditLogHarness()
        defer { harness.remove() }
        try await harness.run { log in try await AuditLogHarness.write(2000, to: log) }
        let report = try harness.verify()
        #expect(report.intact)
        #expect(report.lines == 2000)
    }
}
