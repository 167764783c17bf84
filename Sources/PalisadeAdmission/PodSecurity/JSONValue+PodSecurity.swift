import PalisadeAPI

extension JSONValue {
    /// The member `key` when it is present and not null, the way Go's decoder leaves a
    /// pointer field nil for both a missing and a `null` member. (One- and two-step forms
    /// spare the array a variadic call allocates; checks run on every pod write.)
    func present(_ key: String) -> JSONValue? {
        guard let value = self[key], !value.isNull else { return nil }
        return value
    }

    func present(_ first: String, _ second: String) -> JSONValue? {
        present(first)?.present(second)
    }

    /// The value at `path` when every step is present and not null.
    func present(_ path: String...) -> JSONValue? {
        var current = self
        for key in path {
            guard let next = current[key], !next.isNull else { return nil }
            current = next
        }
        return current
    }
}
