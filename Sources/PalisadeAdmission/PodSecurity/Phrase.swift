import PalisadeAPI

/// The wording helpers Kubernetes' checks build their details with, so that Palisade's
/// messages match upstream byte for byte.
enum Phrase {
    static func plural(_ singular: String, _ plural: String, _ count: Int) -> String {
        count == 1 ? singular : plural
    }

    /// `"a", "b"`: each item in double quotes, without escaping (as upstream's `joinQuote`).
    static func quoted(_ items: [String]) -> String {
        items.isEmpty ? "" : "\"" + items.joined(separator: "\", \"") + "\""
    }

    /// `container "a"` or `containers "a", "b"`.
    static func containers(_ names: [String]) -> String {
        "\(plural("container", "containers", names.count)) \(quoted(names))"
    }

    /// Who set a bad value: `pod`, `containers "a", "b"` and any `others`, joined by " and ";
    /// nil when nothing did.
    static func setters(pod: Bool, containers names: [String], others: [String] = []) -> String? {
        let all = (pod ? ["pod"] : []) + (names.isEmpty ? [] : [containers(names)]) + others
        return all.isEmpty ? nil : all.joined(separator: " and ")
    }

    /// A string quoted and escaped as Go's `%q` writes it.
    static func goQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\x" + hex(scalar.value, width: 2)
            case _ where scalar != " " && scalar.properties.generalCategory.isInvisibleToGo:
                out += scalar.value > 0xFFFF ? "\\U" + hex(scalar.value, width: 8) : "\\u" + hex(scalar.value, width: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Unicode.GeneralCategory {
    /// Characters Go's `strconv.IsPrint` rejects (controls, formats, unassigned, separators
    /// other than the plain space), which `%q` escapes.
    fileprivate var isInvisibleToGo: Bool {
        switch self {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return true
        default:
            return false
        }
    }
}

extension Sequence<String> {
    /// Sorted by UTF-8 bytes, as Go sorts strings (capitals before lower case).
    func sortedBytewise() -> [String] {
        sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Distinct elements sorted by UTF-8 bytes: Go's `sets.NewString(...).List()`.
    func uniqueSortedBytewise() -> [String] {
        Set(self).sortedBytewise()
    }
}
