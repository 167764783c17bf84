import PalisadeAPI

/// Where Services get their addresses: the cluster IP range (kube-apiserver's
/// `--service-cluster-ip-range`, IPv4) and the node port range (`--service-node-port-range`).
public struct ServiceNetwork: Sendable, Equatable {
    public let clusterIPRange: IPv4Range
    public let nodePorts: ClosedRange<Int>

    public static let standard = try! ServiceNetwork(clusterIPRange: "10.96.0.0/16", nodePortRange: "30000-32767")

    /// Throws a message naming the bad argument.
    public init(clusterIPRange: String, nodePortRange: String) throws(ServiceNetworkError) {
        guard let range = IPv4Range(cidr: clusterIPRange), range.usableCount >= 1 else {
            throw ServiceNetworkError(message: "invalid service cluster IP range \"\(clusterIPRange)\": want an IPv4 CIDR such as 10.96.0.0/16")
        }
        let bounds = nodePortRange.split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, 1 <= bounds[0], bounds[0] <= bounds[1], bounds[1] <= 65535 else {
            throw ServiceNetworkError(message: "invalid service node port range \"\(nodePortRange)\": want FIRST-LAST such as 30000-32767")
        }
        self.clusterIPRange = range
        nodePorts = bounds[0]...bounds[1]
    }
}

public struct ServiceNetworkError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// An IPv4 CIDR block; its usable addresses leave out the network and broadcast addresses.
public struct IPv4Range: Sendable, Equatable, CustomStringConvertible {
    let base: UInt32
    let prefixLength: Int

    public init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let length = Int(parts[1]), (8...30).contains(length), let address = Self.parse(String(parts[0])) else { return nil }
        let mask = UInt32.max << UInt32(32 - length)
        base = address & mask
        prefixLength = length
    }

    public var description: String { "\(Self.format(base))/\(prefixLength)" }

    /// Addresses available to Services.
    var usableCount: Int { (1 << (32 - prefixLength)) - 2 }

    /// The usable address at `index` (0-based, after the network address).
    func address(at index: Int) -> String { Self.format(base + UInt32(index + 1)) }

    /// The index of a usable address of this range, or nil.
    func index(of address: String) -> Int? {
        guard let value = Self.parse(address), value > base else { return nil }
        let index = Int(value - base) - 1
        return index < usableCount ? index : nil
    }

    static func parse(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, octet.allSatisfy(\.isASCII), let byte = UInt8(octet), String(byte) == octet else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func format(_ value: UInt32) -> String {
        (0..<4).map { String((value >> UInt32(24 - 8 * $0)) & 0xff) }.joined(separator: ".")
    }
}
