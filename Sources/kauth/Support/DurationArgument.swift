/// A duration as Go and kubectl write them: `720h`, `90m`, `1h30m`, `45s`, and `d` for days.
enum DurationArgument {
    static let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]

    /// The number of seconds, or a one-line error naming the value.
    static func seconds(_ text: String, option: String) throws -> Int64 {
        var total: Int64 = 0
        var digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int64(digits), value <= 1_000_000 {
                total += value * unit
                digits = ""
            } else {
                digits = "invalid"
                break
            }
        }
        guard digits.isEmpty, total > 0 else {
            throw KauthError("invalid \(option) \"\(text)\": give a duration such as 720h, 90m, 30d or 1h30m")
        }
        return total
    }
}
