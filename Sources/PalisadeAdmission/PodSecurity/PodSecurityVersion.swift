import PalisadeAPI

/// A policy version: the rules as they stood in Kubernetes `v1.N`, or `latest`.
///
/// Only major version 1 exists. `latest` sorts after every numbered version, even ones newer
/// than any check knows about, as in Kubernetes.
public enum PodSecurityVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    case v1(Int)
    case latest

    /// The message Kubernetes gives for a version label it cannot parse.
    public static let invalidLabelMessage = #"must be "latest" or "v1.x""#

    /// Parses `latest` or `v1.N` (`N` without leading zeros); nil for anything else.
    public init?(_ text: String) {
        if text == "latest" {
            self = .latest
            return
        }
        guard text.hasPrefix("v1.") else { return nil }
        let digits = text.dropFirst(3)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            digits == "0" || digits.first != "0", let minor = Int(digits)
        else { return nil }
        self = .v1(minor)
    }

    public var description: String {
        switch self {
        case .v1(let minor): return "v1.\(minor)"
        case .latest: return "latest"
        }
    }

    public static func < (lhs: PodSecurityVersion, rhs: PodSecurityVersion) -> Bool {
        switch (lhs, rhs) {
        case (.v1(let a), .v1(let b)): return a < b
        case (.v1, .latest): return true
        case (.latest, _): return false
        }
    }
}
