import Foundation
import PalisadeAPI
import PalisadeAdmission
import Testing

/// One YAML fixture from `Fixtures/pod-security/<check>/`, with the expectations its header
/// comment declares (the format is described in that directory's README.md).
struct PodSecurityFixture: Sendable, CustomTestStringConvertible {
    let name: String
    var check = ""
    var deny: [PodSecurityLevelVersion] = []
    var allow: [PodSecurityLevelVersion] = []
    var clean: [PodSecurityLevelVersion] = []
    var reason: String?
    var detail: String?
    var object: JSONValue = .null
    /// What is wrong with the fixture file itself; reported by the test instead of crashing discovery.
    var problems: [String] = []

    var testDescription: String { name }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pod-security", isDirectory: true)

    /// Every fixture, sorted by path.
    static let all: [PodSecurityFixture] = {
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "yaml" } ?? []
        return files.map(load).sorted { $0.name < $1.name }
    }()

    private static func load(_ url: URL) -> PodSecurityFixture {
        let folder = url.deletingLastPathComponent().lastPathComponent
        var fixture = PodSecurityFixture(name: "\(folder)/\(url.lastPathComponent)")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fixture.problems.append("unreadable")
            return fixture
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(while: { $0.hasPrefix("#") }) {
            fixture.readHeader(line.dropFirst().trimmingCharacters(in: .whitespaces))
        }
        if fixture.check != folder { fixture.problems.append("check \(fixture.check) is not the folder name \(folder)") }
        if fixture.deny.isEmpty && fixture.allow.isEmpty { fixture.problems.append("neither deny nor allow") }
        if !fixture.deny.isEmpty && (fixture.reason == nil || fixture.detail == nil) {
            fixture.problems.append("deny needs reason and detail")
        }
        do {
            fixture.object = try YAMLDecoding.parse(Array(text.utf8))
        } catch {
            fixture.problems.append("YAML: \(error)")
        }
        return fixture
    }

    private mutating func readHeader(_ line: String) {
        guard let colon = line.firstIndex(of: ":") else {
            problems.append("header line without a key: \(line)")
            return
        }
        let key = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        switch key {
        case "check": check = value
        case "deny": deny = policies(value)
        case "allow": allow = policies(value)
        case "clean": clean = policies(value)
        case "reason": reason = value
        case "detail": detail = value
        default: problems.append("unknown header key \(key)")
        }
    }

    private mutating func policies(_ list: String) -> [PodSecurityLevelVersion] {
        list.split(separator: ",").compactMap { item in
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let policy = PodSecurityLevelVersion(text) else {
                problems.append("not a level:version: \(text)")
                return nil
            }
            return policy
        }
    }
}
