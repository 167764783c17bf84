import Foundation
import PalisadeAPI
import PalisadeRuntime

/// What a container may do, from its pod's and its own `securityContext` (the container's
/// settings win) and its image: the user and groups it runs as, its capabilities, whether
/// it may gain privileges, a read-only root, and its seccomp profile, which is
/// `RuntimeDefault` unless the pod asks for another (Kubernetes would leave it unconfined).
struct ContainerSecurity: Equatable {
    enum Seccomp: Equatable {
        case runtimeDefault
        case localhost(String)
        case unconfined
    }

    var user: UInt32
    var group: UInt32
    var supplementaryGroups: [UInt32]
    var capabilities: UInt64
    var noNewPrivileges: Bool
    var readOnlyRootFilesystem: Bool
    var privileged: Bool
    var seccomp: Seccomp

    /// - Parameters:
    ///   - index: the container's index, for the field paths of errors.
    ///   - imageUser: the image config's `User`, resolved against the root file system.
    init(pod: JSONValue, container: JSONValue, imageUser: (uid: UInt32, gid: UInt32?)?) throws(ContainerConfigError) {
        let podContext = pod[path: ["spec", "securityContext"]] ?? .emptyObject
        let context = container["securityContext"] ?? .emptyObject
        func setting(_ key: String) -> JSONValue? { context[key] ?? podContext[key] }

        privileged = context["privileged"]?.boolValue ?? false
        let runAsUser = setting("runAsUser")?.intValue.map { UInt32(clamping: $0) }
        user = runAsUser ?? imageUser?.uid ?? 0
        group = setting("runAsGroup")?.intValue.map { UInt32(clamping: $0) } ?? (runAsUser == nil ? imageUser?.gid : nil) ?? 0
        if setting("runAsNonRoot")?.boolValue == true {
            if runAsUser == nil && imageUser == nil {
                throw ContainerConfigError("container has runAsNonRoot and image will run as root")
            }
            if user == 0 { throw ContainerConfigError("container's runAsUser breaks non-root policy") }
        }
        var groups = (podContext["supplementalGroups"]?.arrayValue ?? []).compactMap { $0.intValue.map { UInt32(clamping: $0) } }
        if let fsGroup = podContext["fsGroup"]?.intValue { groups.append(UInt32(clamping: fsGroup)) }
        supplementaryGroups = groups

        let add = (context[path: ["capabilities", "add"]]?.arrayValue ?? []).compactMap(\.stringValue)
        let drop = (context[path: ["capabilities", "drop"]]?.arrayValue ?? []).compactMap(\.stringValue)
        do {
            capabilities = privileged ? try Capabilities.mask(add: ["ALL"], drop: []) : try Capabilities.mask(add: add, drop: drop)
        } catch {
            throw ContainerConfigError("securityContext.capabilities: \(error)")
        }
        // As the API server defaults it: privileged or CAP_SYS_ADMIN implies escalation.
        let sysAdmin = capabilities & (1 << UInt64(Capabilities.numbers["SYS_ADMIN"]!)) != 0
        let escalation = context["allowPrivilegeEscalation"]?.boolValue ?? (privileged || sysAdmin)
        noNewPrivileges = !escalation
        readOnlyRootFilesystem = context["readOnlyRootFilesystem"]?.boolValue ?? false

        let profile = context["seccompProfile"] ?? podContext["seccompProfile"]
        switch profile?["type"]?.stringValue {
        case nil where privileged, "Unconfined": seccomp = .unconfined
        case nil, "RuntimeDefault": seccomp = .runtimeDefault
        case "Localhost":
            guard let path = profile?["localhostProfile"]?.stringValue, !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw ContainerConfigError("securityContext.seccompProfile.localhostProfile must be a relative path inside the node's profile directory")
            }
            seccomp = .localhost(path)
        case let other?: throw ContainerConfigError("securityContext.seccompProfile.type \"\(other)\" is not supported")
        }
    }
}

/// A pod setting the agent cannot honour: reported as the container's waiting reason
/// `CreateContainerConfigError` with this message.
struct ContainerConfigError: Error, CustomStringConvertible, Equatable {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
