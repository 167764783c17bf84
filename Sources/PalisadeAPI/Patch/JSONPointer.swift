/// A JSON Pointer (RFC 6901): `/spec/containers/0/image`, with `~1` for `/` and `~0` for `~`.
struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens; empty for the whole document.
    let tokens: [String]

    /// Parses pointer text; anything but `""` or a `/`-led string with valid escapes is a bad request.
    init(parsing text: String) throws(APIError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw .badRequest("invalid JSON pointer \"\(text)\": must be empty or start with \"/\"")
        }
        var parsed: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = Self.unescape(raw) else {
                throw .badRequest("invalid JSON pointer \"\(text)\": \"~\" must be followed by \"0\" or \"1\"")
            }
            parsed.append(token)
        }
        tokens = parsed
    }

    private init(tokens: [String]) {
        self.tokens = tokens
    }

    /// The pointer to the containing value; `nil` for the whole document.
    var parent: JSONPointer? {
        tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    /// Whether `self` is `other` or lies below it.
    func isWithin(_ other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }

    var description: String {
        tokens.map { "/" + Self.escape($0) }.joined()
    }

    /// Resolves the pointer in `document`, `nil` when some step does not exist.
    func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Self.arrayIndex(token, count: elements.count, allowingEnd: false) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The array index a token names: `0` or digits without a leading zero, below `count`
    /// (or equal to it when `allowingEnd`, for insertion). `-` is not an index here.
    static func arrayIndex(_ token: String, count: Int, allowingEnd: Bool) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            token == "0" || !token.hasPrefix("0"),
            let index = Int(token)
        else { return nil }
        return index < count || (allowingEnd && index == count) ? index : nil
    }

    private static func unescape(_ raw: Substring) -> String? {
        guard raw.contains("~") else { return String(raw) }
        var result = ""
        var iterator = raw.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "0": result.append("~")
            case "1": result.append("/")
            default: return nil
            }
        }
        return result
    }

    private static func escape(_ token: String) -> String {
        var escaped = ""
        for character in token {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
