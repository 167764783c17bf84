/// core/v1 reference and selector types used across pods, volumes and storage.
extension Schemas {
    static let objectReference = ObjectSchema("ObjectReference", [
        .string("kind", 1),
        .string("namespace", 2),
        .string("name", 3),
        .string("uid", 4),
        .string("apiVersion", 5),
        .string("resourceVersion", 6),
        .string("fieldPath", 7),
    ])

    static let localObjectReference = nameOnly("LocalObjectReference")

    static let secretReference = ObjectSchema("SecretReference", [.string("name", 1), .string("namespace", 2)])

    static let typedLocalObjectReference = typedReference("TypedLocalObjectReference")

    static let typedObjectReference = typedReference("TypedObjectReference", [.string("namespace", 4)])

    static let keyToPath = ObjectSchema("KeyToPath", [.string("key", 1), .string("path", 2), .integer("mode", 3)])

    static let objectFieldSelector = ObjectSchema("ObjectFieldSelector", [
        .string("apiVersion", 1),
        .string("fieldPath", 2),
    ])

    static let resourceFieldSelector = ObjectSchema("ResourceFieldSelector", [
        .string("containerName", 1),
        .string("resource", 2),
        .quantity("divisor", 3),
    ])

    static let configMapKeySelector = keySelector("ConfigMapKeySelector")

    static let secretKeySelector = keySelector("SecretKeySelector")

    static let fileKeySelector = ObjectSchema("FileKeySelector", [
        .string("volumeName", 1),
        .string("path", 2),
        .string("key", 3),
        .boolean("optional", 4),
    ])

    static let configMapEnvSource = optionalReference("ConfigMapEnvSource")

    static let secretEnvSource = optionalReference("SecretEnvSource")
}
