import Foundation
import Crypto
import PalisadeAPI

/// Checks a log's files line by line against the chain key: every line must be authentic
/// (its MAC), follow the line before it (its `previous`), and carry the next sequence number.
/// It names the first line that was edited, inserted, removed, reordered or duplicated, and
/// with a checkpoint also lines removed from the end after the checkpoint was taken.
public struct AuditVerifier: Sendable {
    let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// One line as read: where it is, and its chain fields when it is authentic.
    private struct Entry {
        let location: String
        let link: AuditLine.Link?
        /// Parsed as JSON but not authentic, or not JSON at all.
        let parsed: Bool
        /// Ends without a newline (the last bytes of a file).
        let unterminated: Bool
        /// Looks like the start of an event cut off by a crash.
        let tornEvent: Bool
    }

    public func verify(files: [String], checkpoint: AuditCheckpoint? = nil, checkpointKey: Curve25519.Signing.PublicKey? = nil) -> AuditVerification {
        let entries = read(files)
        var report = AuditVerification()
        var previous: AuditLine.Link?
        for (index, entry) in entries.enumerated() {
            guard let link = entry.link else {
                let finding = unauthentic(entry, at: index, in: entries, after: previous, isLast: index == entries.count - 1)
                guard finding.isNotice else {
                    report.problem = finding
                    return report
                }
                report.notices.append(finding)
                continue
            }
            if let problem = misplaced(link, entry, after: previous, upcoming: entries[(index + 1)...]) {
                report.problem = problem
                return report
            }
            if previous == nil && link.sequence != 1 {
                report.notices.append(.init(kind: .chainBreak, location: entry.location, message: "the log starts at sequence \(link.sequence): older files were rotated away"))
            }
            report.lines += 1
            report.firstSequence = report.firstSequence ?? link.sequence
            report.lastSequence = link.sequence
            previous = link
        }
        if let checkpoint { report.problem = compare(checkpoint, key: checkpointKey, entries: entries, last: previous) }
        return report
    }

    private func read(_ files: [String]) -> [Entry] {
        var entries: [Entry] = []
        for path in files {
            guard let size = AuditLogFile.size(of: path), size > 0 else { continue }
            var number = 0
            var total = 0
            AuditLogReader.forEachLine(of: path) { line in
                number += 1
                total += line.count + 1
                let unterminated = total > size
                let event = try? JSONParser.parse(line)
                entries.append(Entry(
                    location: "\(path):\(number)", link: event.flatMap { AuditLine.authenticate(line, event: $0, key: key) },
                    parsed: event != nil, unterminated: unterminated,
                    tornEvent: event == nil && line.starts(with: Array("{\"".utf8))
                ))
            }
        }
        return entries
    }

    /// A line that is not authentic: a torn tail, a torn fragment a restart left behind, an
    /// inserted line (the next one still follows the line before it), or an edited one.
    private func unauthentic(_ entry: Entry, at index: Int, in entries: [Entry], after previous: AuditLine.Link?, isLast: Bool) -> AuditVerification.Finding {
        if entry.unterminated && isLast {
            return .init(kind: .truncatedTail, location: entry.location, message: "the last line is incomplete (a write cut short); the chain up to it holds")
        }
        let next = entries[(index + 1)...].first
        let nextFollows = next?.link.map { $0.previous == (previous?.chain ?? $0.previous) && $0.sequence == (previous.map { $0.sequence + 1 } ?? $0.sequence) } ?? false
        if !entry.parsed {
            if entry.tornEvent && nextFollows {
                return .init(kind: .torn, location: entry.location, message: "an incomplete line left by a crash; the chain continues after it")
            }
            return .init(kind: nextFollows ? .inserted : .unreadable, location: entry.location, message: "not an audit event")
        }
        if nextFollows {
            return .init(kind: .inserted, location: entry.location, message: "this line is not part of the chain (inserted)")
        }
        return .init(kind: .edited, location: entry.location, message: "the line does not match its MAC (edited)")
    }

    /// An authentic line in the wrong place.
    private func misplaced(_ link: AuditLine.Link, _ entry: Entry, after previous: AuditLine.Link?, upcoming: ArraySlice<Entry>) -> AuditVerification.Finding? {
        guard let previous else {
            if link.sequence == 1 && link.previous != AuditLine.genesis {
                return .init(kind: .chainBreak, location: entry.location, message: "the first line does not start a chain")
            }
            return nil
        }
        if link.previous == previous.chain && link.sequence == previous.sequence + 1 { return nil }
        if link.sequence <= previous.sequence {
            if link.chain == previous.chain || link.sequence == previous.sequence {
                return .init(kind: .duplicated, location: entry.location, message: "sequence \(link.sequence) appears again")
            }
            return .init(kind: .reordered, location: entry.location, message: "sequence \(link.sequence) comes after \(previous.sequence)")
        }
        if link.sequence > previous.sequence + 1 {
            let missing = (previous.sequence + 1)..<link.sequence
            if let later = upcoming.first(where: { $0.link.map { missing.contains($0.sequence) } ?? false }) {
                return .init(kind: .reordered, location: entry.location, message: "sequence \(link.sequence) comes before \(missing.lowerBound), which is at \(later.location)")
            }
            let count = missing.count
            let range = count == 1 ? "sequence \(missing.lowerBound)" : "sequences \(missing.lowerBound)…\(missing.upperBound - 1)"
            return .init(kind: .removed, location: entry.location, message: "\(count) line(s) removed before this one (\(range))")
        }
        return .init(kind: .chainBreak, location: entry.location, message: "does not follow the line before it (a different chain)")
    }

    /// Lines removed from the end after the checkpoint, or a checkpoint that is not ours.
    private func compare(_ checkpoint: AuditCheckpoint, key: Curve25519.Signing.PublicKey?, entries: [Entry], last: AuditLine.Link?) -> AuditVerification.Finding? {
        let location = "checkpoint"
        if let key, !checkpoint.isSigned(by: key) {
            return .init(kind: .checkpoint, location: location, message: "the checkpoint's signature does not verify")
        }
        if let match = entries.first(where: { $0.link?.sequence == checkpoint.sequence }) {
            return match.link?.chain == checkpoint.chain
                ? nil
                : .init(kind: .checkpoint, location: match.location, message: "sequence \(checkpoint.sequence) does not match the checkpoint")
        }
        let lastSequence = last?.sequence ?? 0
        if checkpoint.sequence > lastSequence {
            return .init(
                kind: .removed, location: location,
                message: "the log ends at sequence \(lastSequence) but the checkpoint of \(checkpoint.time) covers \(checkpoint.sequence): \(checkpoint.sequence - lastSequence) line(s) removed from the end"
            )
        }
        return nil
    }
}
