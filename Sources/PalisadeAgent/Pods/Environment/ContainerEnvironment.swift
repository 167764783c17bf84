import Foundation
import PalisadeAPI

/// The environment a container starts with, built as the kubelet builds it: the image's
/// `Env`, then each `envFrom` source, then each `env` entry, a later definition of a name
/// replacing an earlier one in place.
///
/// `env` values expand `$(NAME)` against the names `envFrom` and earlier `env` entries
/// defined (not the image's), and `$$` is a literal `$`. A missing ConfigMap, Secret or key
/// that is not `optional` is a ``PodConfigError`` naming the field; the kubelet shows it as
/// `CreateContainerConfigError`. Values never appear in errors.
///
/// The Kubernetes service variables (`KUBERNETES_SERVICE_HOST`, `<SVC>_SERVICE_PORT`, …)
/// are not added: Palisade pods find services through DNS, and `enableServiceLinks` is ignored.
public struct ContainerEnvironment: Sendable {
    /// What the downward API exposes that the pod object may not hold yet.
    public struct PodFacts: Sendable, Equatable {
        /// The pod's IPs; `status.podIP` is the first.
        public var podIPs: [String]
        /// The node's IPs; `status.hostIP` is the first.
        public var hostIPs: [String]
        /// The node's `status.allocatable`, the value of a `limits.*` resourceFieldRef the container leaves unset.
        public var nodeAllocatable: JSONValue?

        public init(podIPs: [String] = [], hostIPs: [String] = [], nodeAllocatable: JSONValue? = nil) {
            self.podIPs = podIPs
            self.hostIPs = hostIPs
            self.nodeAllocatable = nodeAllocatable
        }

        /// The IPs as the pod's status records them.
        public init(status pod: JSONValue, nodeAllocatable: JSONValue? = nil) {
            func ips(_ list: String, _ single: String) -> [String] {
                let listed = (pod[path: ["status", list]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
                return listed.isEmpty ? [pod[path: ["status", single]]?.stringValue].compactMap { $0 } : listed
            }
            self.init(podIPs: ips("podIPs", "podIP"), hostIPs: ips("hostIPs", "hostIP"), nodeAllocatable: nodeAllocatable)
        }
    }

    private let lookup: PodObjectLookup

    public init(lookup: PodObjectLookup) {
        self.lookup = lookup
    }

    /// The `NAME=value` entries for `container` of `pod`.
    /// - Parameters:
    ///   - imageEnvironment: the image config's `Env`, which the pod's entries override.
    ///   - facts: pod and node IPs and allocatable; by default what the pod's status says.
    public func variables(
        for container: PodContainer,
        in pod: JSONValue,
        imageEnvironment: [String] = [],
        facts: PodFacts? = nil
    ) async throws(PodConfigError) -> [String] {
        let facts = facts ?? PodFacts(status: pod)
        var environment = OrderedEnvironment(entries: imageEnvironment)
        // What `$(NAME)` may refer to: the pod's own definitions so far.
        var defined: [String: String] = [:]
        func define(_ name: String, _ value: String) {
            defined[name] = value
            environment.set(name, value)
        }

        for (index, source) in (container.spec["envFrom"]?.arrayValue ?? []).enumerated() {
            let path = container.fieldPath.child("envFrom").index(index)
            let prefix = source["prefix"]?.stringValue ?? ""
            for (key, value) in try await entries(of: source, in: pod, at: path).sorted(by: { $0.key < $1.key }) {
                let name = prefix + key
                // The kubelet skips (and reports in an event) keys that cannot be variable names.
                guard Self.isValidName(name) else { continue }
                define(name, value)
            }
        }

        for (index, variable) in (container.spec["env"]?.arrayValue ?? []).enumerated() {
            let path = container.fieldPath.child("env").index(index)
            guard let name = variable["name"]?.stringValue, !name.isEmpty else {
                throw PodConfigError(.invalidSpec, at: path.child("name"), "Required value")
            }
            if let value = variable["value"]?.stringValue, !value.isEmpty {
                define(name, EnvironmentExpansion.expand(value, with: defined))
            } else if let source = variable["valueFrom"] {
                let value = try await self.value(from: source, container: container, in: pod, facts: facts, at: path.child("valueFrom"))
                if let value { define(name, value) }
            } else {
                define(name, "")
            }
        }
        return environment.entries
    }

    /// The variables an `envFrom` source brings: nil-safe for an optional missing object.
    private func entries(of source: JSONValue, in pod: JSONValue, at path: FieldPath) async throws(PodConfigError) -> [String: String] {
        let bytes: [String: [UInt8]]
        if let reference = source["configMapRef"] {
            let object = try await lookup.require(.configMap, reference, in: pod, at: path.child("configMapRef"))
            bytes = try object.map { object throws(PodConfigError) in try ReferencedData.configMapEntries(object, includingBinary: false) } ?? [:]
        } else if let reference = source["secretRef"] {
            let object = try await lookup.require(.secret, reference, in: pod, at: path.child("secretRef"))
            bytes = try object.map { object throws(PodConfigError) in try ReferencedData.secretEntries(object) } ?? [:]
        } else {
            throw PodConfigError(.invalidSpec, at: path, "must specify one of: `configMapRef` or `secretRef`")
        }
        return bytes.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    /// An `env[].valueFrom` value; nil when an optional reference is missing (the variable is then not set).
    private func value(from source: JSONValue, container: PodContainer, in pod: JSONValue, facts: PodFacts, at path: FieldPath)
        async throws(PodConfigError) -> String?
    {
        if let reference = source["configMapKeyRef"] {
            return try await keyValue(.configMap, reference, in: pod, at: path.child("configMapKeyRef"))
        }
        if let reference = source["secretKeyRef"] {
            return try await keyValue(.secret, reference, in: pod, at: path.child("secretKeyRef"))
        }
        if let reference = source["fieldRef"] {
            let fieldPath = reference["fieldPath"]?.stringValue ?? ""
            guard let value = DownwardValues.podField(fieldPath, of: pod, facts: facts) else {
                throw PodConfigError(.unsupported, at: path.child("fieldRef").child("fieldPath"), "unsupported fieldPath \"\(fieldPath)\"")
            }
            return value
        }
        if let reference = source["resourceFieldRef"] {
            return try resourceValue(reference, container: container, in: pod, facts: facts, at: path.child("resourceFieldRef"))
        }
        throw PodConfigError(
            .invalidSpec, at: path, "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`")
    }

    private func keyValue(_ kind: ReferencedKind, _ reference: JSONValue, in pod: JSONValue, at path: FieldPath) async throws(PodConfigError)
        -> String?
    {
        let optional = reference["optional"]?.boolValue ?? false
        guard let object = try await lookup.require(kind, reference, in: pod, at: path) else { return nil }
        let entries =
            kind == .secret
            ? try ReferencedData.secretEntries(object) : try ReferencedData.configMapEntries(object, includingBinary: false)
        let key = reference["key"]?.stringValue ?? ""
        guard let bytes = entries[key] else {
            if optional { return nil }
            let name = reference["name"]?.stringValue ?? ""
            throw PodConfigError(.missingKey, at: path, "couldn't find key \(key) in \(kind.kind) \(pod.podNamespace)/\(name)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func resourceValue(_ reference: JSONValue, container: PodContainer, in pod: JSONValue, facts: PodFacts, at path: FieldPath)
        throws(PodConfigError) -> String
    {
        let containerName = reference["containerName"]?.stringValue ?? ""
        let target = containerName.isEmpty ? container : PodContainer.named(containerName, in: pod)
        guard let target else {
            throw PodConfigError(.invalidSpec, at: path.child("containerName"), "container \"\(containerName)\" not found in the pod")
        }
        let divisorText = reference["divisor"].map(Quantity.text(of:)) ?? ""
        guard let divisor = divisorText.isEmpty ? Quantity(1) : Quantity(divisorText), divisor.value > 0 else {
            throw PodConfigError(.invalidSpec, at: path.child("divisor"), "must be a positive quantity")
        }
        let resource = reference["resource"]?.stringValue ?? ""
        guard
            let value = DownwardValues.resourceField(
                resource, divisor: divisor, container: target.spec, nodeAllocatable: facts.nodeAllocatable)
        else {
            throw PodConfigError(.unsupported, at: path.child("resource"), "unsupported resource \"\(resource)\"")
        }
        return value
    }

    /// Any printable ASCII except `=`, as Kubernetes' relaxed environment variable names allow.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "=") }
    }
}

extension PodObjectLookup {
    /// The object a `{name, optional}` reference names, in the pod's namespace.
    fileprivate func require(_ kind: ReferencedKind, _ reference: JSONValue, in pod: JSONValue, at path: FieldPath) async throws(PodConfigError)
        -> JSONValue?
    {
        try await require(
            kind, namespace: pod.podNamespace, name: reference["name"]?.stringValue ?? "",
            optional: reference["optional"]?.boolValue ?? false, at: path)
    }
}
