import ArgumentParser
import Foundation
import PalisadeAPI
import PalisadeClient
import Yams

/// `-o table|json|yaml`: how a command prints what it found.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, yaml
}

/// `-o/--output` for the commands that print objects or findings.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output: table, json or yaml.")
    var output: OutputFormat = .table

    /// Prints `rows` (header first) as a table, or `document` as JSON or YAML.
    func print(document: @autoclosure () -> JSONValue, rows: @autoclosure () -> [[String]]) throws {
        switch output {
        case .table:
            let rows = rows()
            Swift.print(rows.count > 1 ? TextTable.render(rows) : "No resources found.")
        case .json: Swift.print(JSONSerializer.string(document()))
        case .yaml: Swift.print(try YAMLText.render(document()), terminator: "")
        }
    }
}

/// JSON values as YAML, keys sorted.
enum YAMLText {
    static func render(_ value: JSONValue) throws -> String {
        try Yams.dump(object: plain(value), sortKeys: true)
    }

    /// JSON values as the Foundation types Yams writes.
    private static func plain(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .int(let number): return Int(number)
        case .double(let number): return number
        case .string(let text): return text
        case .array(let elements): return elements.map(plain)
        case .object(let fields): return fields.mapValues(plain)
        }
    }
}
