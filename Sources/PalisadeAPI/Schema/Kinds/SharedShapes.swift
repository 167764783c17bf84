/// Factories for Go types that share one shape under different names, so each shape is
/// written once (`LocalObjectReference` and `PodOS` are both `{name}`, every
/// `*SelectorRequirement` is `{key, operator, values}`, and so on).
extension Schemas {
    /// `{name = 1}`: `LocalObjectReference`, `PodOS`, `PodSchedulingGate`.
    static func nameOnly(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [.string("name", 1)])
    }

    /// `{ip = 1}`: `PodIP`, `HostIP`.
    static func ipOnly(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [.string("ip", 1)])
    }

    /// `{key = 1, operator = 2, values = 3}`: label, node and field selector requirements.
    static func requirement(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [.string("key", 1), .string("operator", 2), .strings("values", 3)])
    }

    /// `{apiGroup = 1, kind = 2, name = 3}`: `TypedLocalObjectReference`, rbac `RoleRef`.
    static func typedReference(_ typeName: String, _ extra: [FieldSchema] = []) -> ObjectSchema {
        ObjectSchema(typeName, [.string("apiGroup", 1), .string("kind", 2), .string("name", 3)] + extra)
    }

    /// `{type, localhostProfile}`: `SeccompProfile`, `AppArmorProfile`.
    static func profile(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [.string("type", 1), .string("localhostProfile", 2)])
    }

    /// An embedded `LocalObjectReference` (JSON `name`) plus `optional`: `ConfigMapEnvSource`, `SecretEnvSource`.
    static func optionalReference(_ typeName: String) -> ObjectSchema {
        ObjectSchema.embedding(typeName, localObjectReference, at: 1, [.boolean("optional", 2)])
    }

    /// An embedded `LocalObjectReference` plus `key` and `optional`: `ConfigMapKeySelector`, `SecretKeySelector`.
    static func keySelector(_ typeName: String) -> ObjectSchema {
        ObjectSchema.embedding(typeName, localObjectReference, at: 1, [.string("key", 2), .boolean("optional", 3)])
    }

    /// A condition `{type, status, lastTransitionTime = 3, reason = 4, message = 5}`
    /// (ReplicaSet, StatefulSet, DaemonSet, ReplicationController conditions).
    static func transitionCondition(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string("type", 1), .string("status", 2), .time("lastTransitionTime", 3),
            .string("reason", 4), .string("message", 5),
        ])
    }

    /// A condition `{type, status, lastProbeTime = 3, lastTransitionTime = 4, reason = 5, message = 6}`
    /// (Job and PersistentVolumeClaim conditions).
    static func probedCondition(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string("type", 1), .string("status", 2), .time("lastProbeTime", 3),
            .time("lastTransitionTime", 4), .string("reason", 5), .string("message", 6),
        ])
    }

    /// `{maxUnavailable = 1, maxSurge = 2}` as int-or-string: rolling update parameters of
    /// Deployments and DaemonSets.
    static func surgeLimits(_ typeName: String) -> ObjectSchema {
        ObjectSchema(typeName, [.intOrString("maxUnavailable", 1), .intOrString("maxSurge", 2)])
    }
}
