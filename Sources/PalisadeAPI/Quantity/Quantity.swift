import Foundation

/// A Kubernetes resource quantity (`100m`, `1.5Gi`, `2e3`), held as an exact decimal so
/// that sums and comparisons never round. It remembers which notation it was written in
/// (binary `Ki`…`Ei`, decimal `n`…`E`, or an exponent) to print results the way Kubernetes does.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Format: Sendable, Hashable {
        case binarySI
        case decimalSI
        case decimalExponent
    }

    public let value: Decimal
    public let format: Format

    public init(_ value: Decimal, format: Format = .decimalSI) {
        self.value = value
        self.format = format
    }

    public static let zero = Quantity(0)

    /// A resource list (`{cpu: 500m, memory: 1Gi}`) as quantities; values that are not
    /// quantities are left out (validation refuses them where they matter).
    public static func list(_ value: JSONValue?) -> [String: Quantity] {
        (value?.objectValue ?? [:]).compactMapValues { Quantity(text(of: $0)) }
    }

    /// A quantity field as written: a string, or a bare integer.
    public static func text(of value: JSONValue) -> String {
        value.stringValue ?? value.intValue.map(String.init) ?? ""
    }

    private static let binarySuffixes: [(String, Int)] = [("Ki", 1), ("Mi", 2), ("Gi", 3), ("Ti", 4), ("Pi", 5), ("Ei", 6)]
    private static let decimalSuffixes: [(String, Int)] = [("n", -9), ("u", -6), ("m", -3), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)]

    /// Parses Kubernetes' quantity grammar: an optionally signed decimal number, then a
    /// binary or decimal suffix or an exponent (`e3`, `E-2`). Nil for anything else.
    public init?(_ text: String) {
        guard let numberEnd = Self.numberEnd(text) else { return nil }
        let number = String(text[..<numberEnd])
        let suffix = String(text[numberEnd...])
        guard let mantissa = Decimal(string: number, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        if suffix.isEmpty {
            self.init(mantissa)
        } else if let power = Self.binarySuffixes.first(where: { $0.0 == suffix })?.1 {
            self.init(mantissa * Self.power(1024, power), format: .binarySI)
        } else if let exponent = Self.decimalSuffixes.first(where: { $0.0 == suffix })?.1 {
            self.init(mantissa * Self.power(10, exponent), format: .decimalSI)
        } else if let first = suffix.first, first == "e" || first == "E", let exponent = Int(suffix.dropFirst()),
            abs(exponent) <= 30, suffix.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") })
        {
            self.init(mantissa * Self.power(10, exponent), format: .decimalExponent)
        } else {
            return nil
        }
    }

    /// Where the number part ends: `[+-]?digits[.digits]` (at least one digit in all).
    private static func numberEnd(_ text: String) -> String.Index? {
        var index = text.startIndex
        if index < text.endIndex, text[index] == "+" || text[index] == "-" { index = text.index(after: index) }
        var digits = 0
        var sawPoint = false
        while index < text.endIndex {
            let character = text[index]
            if character.isASCII && character.isNumber {
                digits += 1
            } else if character == "." && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index = text.index(after: index)
        }
        return digits > 0 ? index : nil
    }

    private static func power(_ base: Decimal, _ exponent: Int) -> Decimal {
        var result: Decimal = 1
        for _ in 0..<abs(exponent) { result *= base }
        return exponent < 0 ? 1 / result : result
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value < rhs.value }
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        Quantity(lhs.value + rhs.value, format: lhs == .zero ? rhs.format : lhs.format)
    }

    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        Quantity(lhs.value - rhs.value, format: lhs.format)
    }

    /// The canonical text: the largest suffix of the quantity's notation that keeps the
    /// number whole (`1536Mi` → `1536Mi`, `2048Mi` → `2Gi`, `0.5` → `500m`); fractions below
    /// a nano-unit round up, as in Kubernetes.
    public var description: String {
        if value == 0 { return "0" }
        if value < 0 { return "-" + Quantity(-value, format: format).description }
        if format == .binarySI, Self.isWhole(value), value >= 1024 {
            for (suffix, power) in Self.binarySuffixes.reversed() {
                let scaled = value / Self.power(1024, power)
                if Self.isWhole(scaled) { return "\(scaled)\(suffix)" }
            }
        }
        if Self.isWhole(value) {
            for (suffix, exponent) in Self.decimalSuffixes.reversed() where exponent > 0 {
                let scaled = value / Self.power(10, exponent)
                if Self.isWhole(scaled) { return "\(scaled)\(suffix)" }
            }
            return "\(value)"
        }
        for (suffix, exponent) in [("m", -3), ("u", -6)] {
            let scaled = value / Self.power(10, exponent)
            if Self.isWhole(scaled) { return "\(scaled)\(suffix)" }
        }
        var nanos = value * Self.power(10, 9)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &nanos, 0, .up)
        return "\(rounded)n"
    }

    private static func isWhole(_ value: Decimal) -> Bool {
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 0, .plain)
        return rounded == value
    }
}
