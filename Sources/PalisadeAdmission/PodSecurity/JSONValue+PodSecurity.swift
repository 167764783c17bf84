import PalisadeAPI

extension JSONValue {
    /// The value at `path` when every step is present and not null, the way Go's decoder
    /// leaves a pointer field nil for both a missing and a `null` member.
    func present(_ path: String...) -> JSONValue? {
        var current = self
        for key in path {
            guard let next = current[key], !next.isNull else { return nil }
            current = next
        }
        return current
    }

    /// The string elements of the array at `path`; empty when there is none.
    func strings(_ path: String...) -> [String] {
        var current: JSONValue? = self
        for key in path { current = current?.present(key) }
        return current?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
