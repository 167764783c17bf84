import Foundation
import PalisadeAPI
import Synchronization

/// Gives each new Service its addresses, as kube-apiserver does: a cluster IP from the
/// configured range unless it asks for one (checked to be in range and free) or is headless
/// (`None`) or an ExternalName, and for NodePort and LoadBalancer Services a node port per
/// port from the node port range, likewise. Each address is reserved in
/// ``ServiceAllocations`` (never twice); a create that is refused or not stored gives its
/// addresses back, and ``ServiceAddressReleaser`` frees those of deleted Services.
final class ServiceAddressAllocator: MutatingAdmission, AdmissionCheck {
    static let services = ServedResources.lookup(group: "", version: "v1", resource: "services")!

    let network: ServiceNetwork
    let allocations: ServiceAllocations
    /// Where the next search starts, so concurrent creates try different addresses first.
    private let cursor = Mutex(UInt64.random(in: 0..<1 << 32))

    init(network: ServiceNetwork, allocations: ServiceAllocations) {
        self.network = network
        self.allocations = allocations
    }

    static func concerns(_ request: AdmissionRequest) -> Bool {
        request.definition.group.isEmpty && request.definition.plural == "services"
    }

    // MARK: Create

    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        guard Self.concerns(request) else { return request.object }
        var service = request.object
        let type = service[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        guard type != "ExternalName" else { return service }
        let holder = ServiceAllocations.Holder(service)
        var reserved: [ServiceAllocation] = []
        let wantsNodePorts = type == "NodePort" || (type == "LoadBalancer" && service[path: ["spec", "allocateLoadBalancerNodePorts"]]?.boolValue != false)
        var ports = service[path: ["spec", "ports"]]?.arrayValue ?? []
        do throws(APIError) {
            // Addresses asked for go first, so a refusal (taken, out of range) usually writes nothing.
            let requestedIP = service[path: ["spec", "clusterIP"]]?.stringValue ?? ""
            if !requestedIP.isEmpty { try await reserveClusterIP(requestedIP, of: service, holder: holder, reserved: &reserved) }
            if wantsNodePorts {
                var seen = Set<String>()
                for (index, port) in ports.enumerated() {
                    guard let number = port["nodePort"]?.intValue, number > 0 else { continue }
                    // One node port may serve a TCP and a UDP port, not two of one protocol.
                    guard seen.insert("\(number)/\(port["protocol"]?.stringValue ?? "TCP")").inserted else {
                        let path = FieldPath("spec", "ports").index(index).child("nodePort")
                        throw APIError.invalid(kind: "Service", name: service.name ?? "", causes: [.duplicate(path, value: String(number))])
                    }
                    try await reserveNodePort(Int(number), at: index, of: service, holder: holder, reserved: &reserved)
                }
            }
            let ip = requestedIP.isEmpty ? try await allocateClusterIP(holder: holder, reserved: &reserved) : requestedIP
            service[path: ["spec", "clusterIP"]] = .string(ip)
            service[path: ["spec", "clusterIPs"]] = [.string(ip)]
            if ip != "None" {
                service[path: ["spec", "ipFamilies"]] = ["IPv4"]
                service[path: ["spec", "ipFamilyPolicy"]] = "SingleStack"
            }
            if wantsNodePorts {
                for index in ports.indices where (ports[index]["nodePort"]?.intValue ?? 0) <= 0 {
                    ports[index]["nodePort"] = .int(Int64(try await allocateNodePort(holder: holder, reserved: &reserved)))
                }
                service[path: ["spec", "ports"]] = .array(ports)
            }
        } catch {
            for allocation in reserved { await allocations.release(allocation, heldBy: holder.uid) }
            throw error
        }
        // A dry run shows what would be given but keeps nothing.
        if request.dryRun { for allocation in reserved { await allocations.release(allocation, heldBy: holder.uid) } }
        return service
    }

    /// An update keeps the addresses given at creation (carried over when a replacement
    /// leaves them out); any address it adds must be free, and is reserved.
    func admit(_ request: AdmissionRequest) async throws(APIError) -> [String] {
        guard Self.concerns(request), request.operation == .update, let old = request.old else { return [] }
        let service = request.object
        let type = service[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        if type != "ExternalName", (service[path: ["spec", "clusterIP"]]?.stringValue ?? "").isEmpty {
            throw invalid(service, FieldPath("spec", "clusterIP"), nil, "a Service that stops being ExternalName must name its cluster IP (Palisade gives one only at creation)")
        }
        let holder = ServiceAllocations.Holder(old)
        let before = ServiceAllocation.held(by: old)
        var ignored: [ServiceAllocation] = []
        if let ip = service[path: ["spec", "clusterIP"]]?.stringValue, !before.contains(.clusterIP(ip)), !request.dryRun {
            try await reserveClusterIP(ip, of: service, holder: holder, reserved: &ignored)
        }
        for (index, port) in (service[path: ["spec", "ports"]]?.arrayValue ?? []).enumerated() {
            guard let number = port["nodePort"]?.intValue, number > 0 else {
                if type == "NodePort" {
                    throw invalid(service, FieldPath("spec", "ports").index(index).child("nodePort"), nil, "a new port of a NodePort Service must name its node port (Palisade gives them only at creation)")
                }
                continue
            }
            guard !before.contains(.nodePort(Int(number))), !request.dryRun else { continue }
            try await reserveNodePort(Int(number), at: index, of: service, holder: holder, reserved: &ignored)
        }
        return []
    }

    /// Gives back what a create that was not stored had reserved.
    func settled(_ request: AdmissionRequest, stored: Bool) async {
        guard Self.concerns(request), !stored, !request.dryRun, let uid = request.object.uid else { return }
        for allocation in ServiceAllocation.held(by: request.object) { await allocations.release(allocation, heldBy: uid) }
    }

    // MARK: Addresses

    private func reserveClusterIP(
        _ ip: String, of service: JSONValue, holder: ServiceAllocations.Holder, reserved: inout [ServiceAllocation]
    ) async throws(APIError) {
        guard ip != "None" else { return }
        let range = network.clusterIPRange
        let path = FieldPath("spec", "clusterIP")
        guard range.index(of: ip) != nil else {
            throw invalid(service, path, ip, "provided IP is not in the valid range. The range of valid IPs is \(range)")
        }
        guard try await allocations.reserve(.clusterIP(ip), for: holder) else {
            throw invalid(service, path, ip, "provided IP is already allocated")
        }
        reserved.append(.clusterIP(ip))
    }

    private func reserveNodePort(
        _ port: Int, at index: Int, of service: JSONValue, holder: ServiceAllocations.Holder, reserved: inout [ServiceAllocation]
    ) async throws(APIError) {
        let ports = network.nodePorts
        let path = FieldPath("spec", "ports").index(index).child("nodePort")
        guard ports.contains(port) else {
            throw invalid(service, path, String(port), "provided port is not in the valid range. The range of valid ports is \(ports.lowerBound)-\(ports.upperBound)")
        }
        guard try await allocations.reserve(.nodePort(port), for: holder) else {
            throw invalid(service, path, String(port), "provided port is already allocated")
        }
        reserved.append(.nodePort(port))
    }

    private func allocateClusterIP(holder: ServiceAllocations.Holder, reserved: inout [ServiceAllocation]) async throws(APIError) -> String {
        let range = network.clusterIPRange
        guard let index = try await firstFree(count: range.usableCount, holder: holder, skipping: reserved, as: { .clusterIP(range.address(at: $0)) }) else {
            throw .serviceUnavailable("failed to allocate a cluster IP: the range \(range) is full")
        }
        reserved.append(.clusterIP(range.address(at: index)))
        return range.address(at: index)
    }

    private func allocateNodePort(holder: ServiceAllocations.Holder, reserved: inout [ServiceAllocation]) async throws(APIError) -> Int {
        let ports = network.nodePorts
        guard let index = try await firstFree(count: ports.count, holder: holder, skipping: reserved, as: { .nodePort(ports.lowerBound + $0) }) else {
            throw .serviceUnavailable("failed to allocate a node port: the range \(ports.lowerBound)-\(ports.upperBound) is full")
        }
        reserved.append(.nodePort(ports.lowerBound + index))
        return ports.lowerBound + index
    }

    /// Reserves the first free one of `count` addresses, searching from the cursor, other
    /// than those this Service already took; its index.
    private func firstFree(
        count: Int, holder: ServiceAllocations.Holder, skipping taken: [ServiceAllocation], as allocation: (Int) -> ServiceAllocation
    ) async throws(APIError) -> Int? {
        let start = nextStart()
        for step in 0..<UInt64(count) {
            let index = Int((start + step) % UInt64(count))
            guard !taken.contains(allocation(index)) else { continue }
            if try await allocations.reserve(allocation(index), for: holder) { return index }
        }
        return nil
    }

    private func nextStart() -> UInt64 {
        cursor.withLock { cursor in
            defer { cursor &+= 7919 }  // A prime stride spreads consecutive Services over the range.
            return cursor
        }
    }

    private func invalid(_ service: JSONValue, _ path: FieldPath, _ value: String?, _ detail: String) -> APIError {
        .invalid(kind: "Service", name: service.name ?? "", causes: [.invalid(path, value: value, detail)])
    }
}
