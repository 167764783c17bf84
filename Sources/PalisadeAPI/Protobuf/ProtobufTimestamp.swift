/// Formats protobuf timestamps (`metav1.Time`, `metav1.MicroTime`) as the RFC 3339 text
/// Kubernetes uses in JSON, always in UTC: `2026-11-28T00:58:23Z`, or with microseconds
/// `2026-11-28T00:58:23.123456Z`.
enum ProtobufTimestamp {
    /// Seconds since the epoch of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range
    /// protobuf timestamps allow.
    static let secondsRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// The text for `seconds` and `nanos` since the Unix epoch, with `fractionalDigits` digits of
    /// the second (0 for `Time`, 6 for `MicroTime`); `nil` when the instant is out of range.
    static func format(seconds: Int64, nanos: Int64, fractionalDigits: Int) -> String? {
        guard secondsRange.contains(seconds), (0..<1_000_000_000).contains(nanos) else { return nil }
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
        text += "T" + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay / 60 % 60, 2)
        text += ":" + padded(secondOfDay % 60, 2)
        if fractionalDigits > 0 {
            var divisor: Int64 = 1
            for _ in 0..<max(0, 9 - fractionalDigits) { divisor *= 10 }
            text += "." + padded(nanos / divisor, fractionalDigits)
        }
        return text + "Z"
    }

    /// The proleptic Gregorian date `days` after 1970-01-01, counting in 400-year eras
    /// (146 097 days each) whose years start on March 1 so the leap day falls last.
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
