import Foundation
import PalisadeAPI

/// Loads the default objects of `policies/` (plain Kubernetes YAML) and reconciles them with
/// the store at start: what is missing is created; what exists gains the defaults it lacks
/// (rules, subjects, labels), keeping whatever else an operator added; an object annotated
/// `rbac.authorization.kubernetes.io/autoupdate: "false"` is left exactly as the operator has it.
public struct PolicyBootstrap: Sendable {
    /// One default object and where it came from, for error messages.
    public struct Entry: Sendable {
        public let object: JSONValue
        public let source: String
    }

    public static let autoupdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate"

    public let entries: [Entry]

    /// Reads every `*.yaml` file of `directory` (sorted by name), each possibly holding several documents.
    public init(directory: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
        var entries: [Entry] = []
        for file in files {
            let path = directory + "/" + file
            let documents: [JSONValue]
            do {
                documents = try YAMLDecoding.parseAll(String(contentsOfFile: path, encoding: .utf8))
            } catch let error as APIError {
                throw PolicyError("\(path): \(error.message)")
            }
            for (index, document) in documents.enumerated() {
                entries.append(Entry(object: document, source: "\(path), document \(index + 1)"))
            }
        }
        self.entries = entries
    }

    /// Creates or completes every default object through the registry (so each is validated
    /// like any client's object); the first failure names its file and document.
    public func reconcile(with registry: ObjectRegistry) async throws {
        for entry in entries {
            guard let definition = Self.definition(of: entry.object) else {
                throw PolicyError("\(entry.source): unknown kind \(entry.object.kind ?? "") in \(entry.object.apiVersion ?? "")")
            }
            if let failure = await reconcile(entry.object, definition, registry) {
                throw PolicyError("\(entry.source) (\(definition.kind) \(entry.object.name ?? "")): \(failure.message)")
            }
        }
    }

    /// Reconciles one object; returns the error that stopped it, if any.
    private func reconcile(_ desired: JSONValue, _ definition: ResourceDefinition, _ registry: ObjectRegistry) async -> APIError? {
        do {
            try await write(desired, definition, registry)
            return nil
        } catch {
            return error
        }
    }

    private func write(_ desired: JSONValue, _ definition: ResourceDefinition, _ registry: ObjectRegistry) async throws(APIError) {
        let namespace = definition.namespaced ? desired.namespace : nil
        let name = desired.name ?? ""
        while true {
            let existing: JSONValue
            do {
                existing = try await registry.get(definition, namespace: namespace, name: name)
            } catch where error.code == 404 {
                do {
                    _ = try await registry.create(definition, namespace: namespace, body: desired, options: WriteOptions(fieldValidation: .strict))
                    return
                } catch where error.code == 409 {
                    continue
                }
            }
            if existing.annotations[Self.autoupdateAnnotation] == "false" { return }
            let completed = Self.completed(existing, with: desired)
            if completed.semanticallyEquals(existing) { return }
            do {
                _ = try await registry.update(
                    definition, namespace: namespace, name: name, body: completed, subresource: nil, options: WriteOptions(fieldValidation: .strict)
                )
                return
            } catch where error.code == 409 {
                continue
            }
        }
    }

    /// `existing` with every list entry, label and annotation of `desired` it lacks.
    static func completed(_ existing: JSONValue, with desired: JSONValue) -> JSONValue {
        var result = existing
        for field in ["rules", "subjects"] {
            guard let wanted = desired[field]?.arrayValue else { continue }
            var have = existing[field]?.arrayValue ?? []
            for entry in wanted where !have.contains(where: { $0.semanticallyEquals(entry) }) { have.append(entry) }
            result[field] = .array(have)
        }
        if let aggregation = desired["aggregationRule"] { result["aggregationRule"] = aggregation }
        result.labels = existing.labels.merging(desired.labels) { current, _ in current }
        result.annotations = existing.annotations.merging(desired.annotations) { current, _ in current }
        return result
    }

    static func definition(of object: JSONValue) -> ResourceDefinition? {
        let parts = (object.apiVersion ?? "").split(separator: "/").map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts.first ?? "")
        return ServedResources.lookup(group: group, version: version, kind: object.kind ?? "")
    }
}

/// A default policy file that cannot be applied; the message names the file and document.
public struct PolicyError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
