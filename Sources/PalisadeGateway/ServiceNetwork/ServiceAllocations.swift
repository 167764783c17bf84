import Foundation
import PalisadeAPI
import PalisadeStore

/// One address a Service holds: a cluster IP or a node port.
enum ServiceAllocation: Hashable, Sendable {
    case clusterIP(String)
    case nodePort(Int)

    /// What `service` holds according to its spec.
    static func held(by service: JSONValue) -> Set<ServiceAllocation> {
        var held = Set<ServiceAllocation>()
        if let ip = service[path: ["spec", "clusterIP"]]?.stringValue, !ip.isEmpty, ip != "None" { held.insert(.clusterIP(ip)) }
        for port in service[path: ["spec", "ports"]]?.arrayValue ?? [] {
            if let number = port["nodePort"]?.intValue, number > 0 { held.insert(.nodePort(Int(number))) }
        }
        return held
    }
}

/// The record of who holds each cluster IP and node port, kept in the store under one key
/// per address. Reserving creates the key, which the store refuses when it exists: so no
/// address is ever handed out twice, even by two servers sharing a store.
struct ServiceAllocations: Sendable {
    static let prefix = "/registry/palisade.dev/serviceallocations/"

    /// Who holds an address: the Service's `namespace/name` and uid.
    struct Holder: Sendable, Equatable {
        let service: String
        let uid: String
        let since: Date

        init(_ service: JSONValue, since: Date = Date()) {
            self.service = "\(service.namespace ?? "")/\(service.name ?? "")"
            uid = service.uid ?? ""
            self.since = since
        }

        init?(json: JSONValue) {
            guard let service = json["service"]?.stringValue, let uid = json["uid"]?.stringValue else { return nil }
            self.service = service
            self.uid = uid
            since = json["since"]?.stringValue.flatMap(Timestamp.parse) ?? .distantPast
        }

        var json: JSONValue { ["service": .string(service), "uid": .string(uid), "since": .string(Timestamp.format(since))] }
    }

    let store: any Store

    static func key(_ allocation: ServiceAllocation) -> String {
        switch allocation {
        case .clusterIP(let ip): prefix + "clusterips/" + ip
        case .nodePort(let port): prefix + "nodeports/" + String(port)
        }
    }

    /// Takes `allocation` for `holder`; false when someone else holds it. Holding it
    /// already counts as success.
    func reserve(_ allocation: ServiceAllocation, for holder: Holder) async throws(APIError) -> Bool {
        do {
            _ = try await store.create(Self.key(allocation), value: JSONSerializer.bytes(holder.json))
            return true
        } catch {
            guard case .keyExists = error.code else { throw error.apiError }
            return try await self.holder(of: allocation)?.uid == holder.uid
        }
    }

    func holder(of allocation: ServiceAllocation) async throws(APIError) -> Holder? {
        do {
            guard let stored = try await store.get(Self.key(allocation)) else { return nil }
            return (try? JSONParser.parse(stored.value)).flatMap(Holder.init(json:))
        } catch {
            throw error.apiError
        }
    }

    /// Gives `allocation` back if the Service with `uid` holds it (a later holder keeps it).
    func release(_ allocation: ServiceAllocation, heldBy uid: String) async {
        let key = Self.key(allocation)
        guard let stored = try? await store.get(key),
            let holder = (try? JSONParser.parse(stored.value)).flatMap(Holder.init(json:)), holder.uid == uid
        else { return }
        _ = try? await store.delete(key, expectedRevision: stored.modRevision)
    }

    /// Every recorded allocation and its holder.
    func all() async throws(StoreError) -> [(ServiceAllocation, Holder)] {
        try await store.range(prefix: Self.prefix, startAfter: nil, limit: nil, revision: nil).items.compactMap { item in
            let name = item.key.dropFirst(Self.prefix.count)
            let allocation: ServiceAllocation? =
                if name.hasPrefix("clusterips/") { .clusterIP(String(name.dropFirst("clusterips/".count))) }
                else if name.hasPrefix("nodeports/") { Int(name.dropFirst("nodeports/".count)).map(ServiceAllocation.nodePort) }
                else { nil }
            guard let allocation, let holder = (try? JSONParser.parse(item.value)).flatMap(Holder.init(json:)) else { return nil }
            return (allocation, holder)
        }
    }
}
