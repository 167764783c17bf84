import Foundation

/// RFC 3339 timestamps as Kubernetes writes them (`2026-11-28T00:58:23Z`, whole seconds).
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        calendarText(date) + "Z"
    }

    /// MicroTime, as audit events and leases carry it: `2026-11-28T19:16:02.123456Z`.
    public static func formatMicro(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let micros = min(Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded()), 999_999)
        return calendarText(date) + "." + padded(micros, 6) + "Z"
    }

    /// `2026-11-28T19:16:02`, built by hand: this runs for every object written and every
    /// audit event, and `String(format:)` costs more than the rest of an event together.
    private static func calendarText(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = ""
        text.reserveCapacity(32)
        for (value, width, separator) in [
            (parts.tm_year + 1900, 4, "-"), (parts.tm_mon + 1, 2, "-"), (parts.tm_mday, 2, "T"),
            (parts.tm_hour, 2, ":"), (parts.tm_min, 2, ":"), (parts.tm_sec, 2, ""),
        ] {
            text += padded(Int(value), width) + separator
        }
        return text
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Parses RFC 3339 (`Z` or an offset, optional fraction); nil when malformed.
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// A duration as kubectl prints ages: `45s`, `5m`, `3h12m`, `4d`, `2y`.
    public static func age(since date: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<120: return "\(seconds)s"
        case ..<600: return "\(seconds / 60)m\(seconds % 60 == 0 ? "" : "\(seconds % 60)s")"
        case ..<(3 * 3600): return "\(seconds / 60)m"
        case ..<(8 * 3600): return "\(seconds / 3600)h\(seconds % 3600 / 60 == 0 ? "" : "\(seconds % 3600 / 60)m")"
        case ..<(48 * 3600): return "\(seconds / 3600)h"
        case ..<(8 * 86400): return "\(seconds / 86400)d\(seconds % 86400 / 3600 == 0 ? "" : "\(seconds % 86400 / 3600)h")"
        case ..<(730 * 86400): return "\(seconds / 86400)d"
        default: return "\(seconds / (365 * 86400))y"
        }
    }
}
