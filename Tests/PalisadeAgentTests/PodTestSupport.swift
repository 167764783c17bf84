import Foundation
import PalisadeAgent
import Testing

/// Thrown by a helper after it recorded that an expected error did not come.
struct ExpectedErrorMissing: Error {}

/// The ``PodConfigError`` `body` throws; records an issue when it throws nothing or something else.
func podConfigError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async throws -> PodConfigError {
    do {
        try await body()
    } catch let error as PodConfigError {
        return error
    } catch {
        Issue.record("expected a PodConfigError, got \(error)", sourceLocation: sourceLocation)
        throw error
    }
    Issue.record("expected a PodConfigError", sourceLocation: sourceLocation)
    throw ExpectedErrorMissing()
}

/// A fresh directory for one test, removed afterwards (with anything mounted in it).
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-pods-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? PodVolumes.tearDown(podDirectory: path) }
    return try await body(path)
}
