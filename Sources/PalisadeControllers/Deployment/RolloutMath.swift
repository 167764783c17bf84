import Foundation
import PalisadeAPI

/// The numbers of a rolling update, as Kubernetes computes them.
enum RolloutMath {
    /// `maxSurge` and `maxUnavailable` resolved against `replicas`: percentages round up
    /// for the surge and down for unavailability; both zero would stall, so unavailability
    /// becomes one.
    static func limits(_ deployment: JSONValue) -> (surge: Int, unavailable: Int) {
        let replicas = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        let rolling = deployment[path: ["spec", "strategy", "rollingUpdate"]]
        let surge = value(rolling?["maxSurge"], of: replicas, roundUp: true, default: "25%")
        var unavailable = value(rolling?["maxUnavailable"], of: replicas, roundUp: false, default: "25%")
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, min(unavailable, replicas))
    }

    /// An int-or-percent field against a total.
    static func value(_ field: JSONValue?, of total: Int, roundUp: Bool, default fallback: String) -> Int {
        if let number = field?.intValue { return Int(number) }
        let text = field?.stringValue ?? fallback
        guard text.hasSuffix("%"), let percent = Double(text.dropLast()) else { return Int(text) ?? 0 }
        let exact = Double(total) * percent / 100
        return Int(roundUp ? exact.rounded(.up) : exact.rounded(.down))
    }

    /// Kubernetes' `pod-template-hash`: FNV-1a (32 bits) of the template, with the collision
    /// count when there is one, written in the alphabet of generated names.
    static func templateHash(_ template: JSONValue, collisionCount: Int64?) -> String {
        var hash: UInt32 = 2_166_136_261
        var bytes = JSONSerializer.bytes(withoutHashLabel(template))
        if let collisionCount { bytes += Array(String(collisionCount).utf8) }
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).map { alphabet[Int($0.asciiValue!) % alphabet.count] })
    }

    static let hashLabel = "pod-template-hash"

    /// A template without the `pod-template-hash` label, for comparing a ReplicaSet's
    /// template with its Deployment's.
    static func withoutHashLabel(_ template: JSONValue) -> JSONValue {
        var template = template
        template[path: ["metadata", "labels", hashLabel]] = nil
        if template[path: ["metadata", "labels"]]?.objectValue?.isEmpty == true { template[path: ["metadata", "labels"]] = nil }
        return template
    }
}
