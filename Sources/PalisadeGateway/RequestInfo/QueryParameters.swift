import Foundation

/// The decoded query string of a request (`+` and percent escapes undone).
public struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    public init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            values[key, default: []].append(parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    public subscript(name: String) -> String? { values[name]?.first }

    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// A boolean the way Go's `strconv.ParseBool` reads it (`1`, `t`, `true`, `TRUE`, ...).
    public func flag(_ name: String) -> Bool {
        guard let value = self[name] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(value)
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
