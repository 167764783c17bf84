import Foundation
import Testing

@testable import PalisadeAgent

/// A container's log file over its limit is moved aside (one earlier part kept) and
/// started again, and a writer appending to it carries on at the new end.
@Suite struct ContainerLogCapTests {
    @Test func aFullLogIsRotatedAndWritingGoesOn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-logcap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/0.log"
        let writer = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        try #require(writer >= 0)
        defer { close(writer) }
        func append(_ text: String) { _ = text.withCString { write(writer, $0, strlen($0)) } }

        let cap = ContainerLogCap(path: path, limit: 100)
        append(String(repeating: "a", count: 60) + "\n")
        #expect(!cap.rotateIfFull(), "under the limit, nothing happens")
        append(String(repeating: "b", count: 60) + "\n")
        #expect(cap.rotateIfFull())
        #expect((try String(contentsOfFile: path + ".1", encoding: .utf8)).count == 122, "the full content moved aside")
        #expect((try String(contentsOfFile: path, encoding: .utf8)).isEmpty)

        append("after\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "after\n", "the writer goes on at the new start")
    }
}
