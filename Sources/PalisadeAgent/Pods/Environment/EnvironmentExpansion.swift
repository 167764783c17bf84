/// Kubernetes' `$(VAR)` expansion, as in env values, command, args and `subPathExpr`.
///
/// `$(NAME)` becomes the value of NAME when it is defined and stays as written when not;
/// `$$` is an escaped `$`; a `$` before anything else, or an unclosed `$(`, stays as is.
public enum EnvironmentExpansion {
    /// Expands `input` against `variables`.
    public static func expand(_ input: String, with variables: [String: String]) -> String {
        let bytes = Array(input.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        while cursor < bytes.count {
            guard bytes[cursor] == UInt8(ascii: "$"), cursor + 1 < bytes.count else {
                output.append(bytes[cursor])
                cursor += 1
                continue
            }
            let next = bytes[cursor + 1]
            if next == UInt8(ascii: "$") {
                output.append(next)
                cursor += 2
            } else if next == UInt8(ascii: "("), let close = bytes[(cursor + 2)...].firstIndex(of: UInt8(ascii: ")")) {
                let name = String(decoding: bytes[(cursor + 2)..<close], as: UTF8.self)
                output.append(contentsOf: variables[name].map { Array($0.utf8) } ?? Array(bytes[cursor...close]))
                cursor = close + 1
            } else {
                // Not a reference: keep the `$` and the byte after it, as the kubelet does.
                output.append(contentsOf: [bytes[cursor], next])
                cursor += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Expands against a list of `NAME=value` entries (the first `=` splits; later entries win).
    public static func expand(_ input: String, withEntries entries: [String]) -> String {
        var variables: [String: String] = [:]
        for entry in entries {
            let (name, value) = split(entry)
            variables[name] = value
        }
        return expand(input, with: variables)
    }

    /// `NAME=value` as a pair; an entry without `=` is a name with an empty value.
    static func split(_ entry: String) -> (name: String, value: String) {
        guard let equals = entry.firstIndex(of: "=") else { return (entry, "") }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }
}
