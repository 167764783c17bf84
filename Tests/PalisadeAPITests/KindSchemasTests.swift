import Testing
@testable import PalisadeAPI

struct KindSchemasTests {
    static let servedKinds: [(group: String, kinds: [String])] = [
        ("", ["Namespace", "Pod", "Service", "ConfigMap", "Secret", "ServiceAccount", "Node", "Event", "Endpoints",
              "PersistentVolume", "PersistentVolumeClaim", "ResourceQuota", "LimitRange", "Binding"]),
        ("apps", ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"]),
        ("autoscaling", ["Scale"]),
        ("batch", ["Job"]),
        ("rbac.authorization.k8s.io", ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]),
        ("networking.k8s.io", ["NetworkPolicy"]),
        ("discovery.k8s.io", ["EndpointSlice"]),
        ("coordination.k8s.io", ["Lease"]),
        ("certificates.k8s.io", ["CertificateSigningRequest"]),
        ("authorization.k8s.io", ["SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview",
                                  "SelfSubjectRulesReview"]),
        ("authentication.k8s.io", ["SelfSubjectReview", "TokenReview"]),
    ]

    @Test(arguments: servedKinds)
    func servesKindWithTypeMetaAndMetadata(_ entry: (group: String, kinds: [String])) throws {
        for kind in entry.kinds {
            let schema = try #require(KindSchemas.schema(group: entry.group, version: "v1", kind: kind), "\(kind)")
            #expect(schema.name == kind)
            #expect(schema["apiVersion"]?.number == ObjectSchema.jsonOnlyNumber)
            #expect(schema["kind"]?.number == ObjectSchema.jsonOnlyNumber)
            #expect(schema["metadata"]?.number == 1)
        }
    }

    @Test func unknownKindsAreNotServed() {
        #expect(KindSchemas.schema(group: "", version: "v1", kind: "Widget") == nil)
        #expect(KindSchemas.schema(group: "apps", version: "v1beta1", kind: "Deployment") == nil)
        #expect(KindSchemas.schema(group: "apps", version: "v1", kind: "Pod") == nil)
    }

    @Test func deleteOptionsIsServedInEveryGroup() {
        #expect(KindSchemas.schema(group: "apps", version: "v1", kind: "DeleteOptions")?.name == "DeleteOptions")
        #expect(KindSchemas.schema(group: "meta.k8s.io", version: "v1", kind: "DeleteOptions")?["propagationPolicy"] != nil)
        #expect(KindSchemas.deleteOptions["metadata"] == nil)
    }

    /// Every object schema reachable from the served kinds, once per name.
    static func reachableSchemas() -> [ObjectSchema] {
        var seen: Set<String> = []
        var result: [ObjectSchema] = []
        func visit(_ type: FieldType) {
            switch type {
            case .object(let schema):
                guard seen.insert(schema.name).inserted else { return }
                result.append(schema)
                for field in schema.fields.values { visit(field.type) }
            case .map(let value): visit(value)
            case .list(let element, _): visit(element)
            default: return
            }
        }
        for entry in KindSchemas.all { visit(.object(entry.schema)) }
        return result
    }

    @Test func protobufNumbersAreUniqueWithinEachMessage() {
        let schemas = Self.reachableSchemas()
        #expect(schemas.count > 150)
        for schema in schemas {
            let wireFields = schema.fields.values.filter { $0.number != ObjectSchema.jsonOnlyNumber }
            for field in wireFields {
                #expect(schema.fieldsByNumber[field.number]?.name == field.name, "\(schema.name).\(field.name)")
            }
            let wireNumbers = schema.fieldsByNumber.keys.filter { $0 != ObjectSchema.jsonOnlyNumber }
            #expect(wireNumbers.count == wireFields.count, "\(schema.name)")
        }
    }

    @Test func embeddedStructsAreFlattenedForJSON() throws {
        let volume = Schemas.volume
        #expect(volume["configMap"]?.number == ObjectSchema.jsonOnlyNumber)
        #expect(volume["name"]?.number == 1)
        let marker = try #require(volume.fieldsByNumber[2])
        #expect(ObjectSchema.isEmbeddedMarker(marker))
        #expect(Schemas.probe["httpGet"] != nil)
        #expect(Schemas.ephemeralContainer["image"] != nil)
        #expect(Schemas.persistentVolumeSpec["nfs"] != nil)
        #expect(Schemas.configMapKeySelector["name"] != nil)
    }

    static func strategy(_ schema: ObjectSchema, _ field: String) -> ListStrategy? {
        guard case .list(_, let strategy) = schema[field]?.type else { return nil }
        return strategy
    }

    @Test func declaresStrategicMergeListStrategies() {
        #expect(Self.strategy(Schemas.podSpec, "containers") == .merge(key: "name"))
        #expect(Self.strategy(Schemas.podSpec, "volumes") == .merge(key: "name"))
        #expect(Self.strategy(Schemas.podSpec, "imagePullSecrets") == .merge(key: "name"))
        #expect(Self.strategy(Schemas.podSpec, "tolerations") == .atomic)
        #expect(Self.strategy(Schemas.container, "ports") == .merge(key: "containerPort"))
        #expect(Self.strategy(Schemas.container, "env") == .merge(key: "name"))
        #expect(Self.strategy(Schemas.container, "volumeMounts") == .merge(key: "mountPath"))
        #expect(Self.strategy(Schemas.container, "command") == .atomic)
        #expect(Self.strategy(Schemas.objectMeta, "finalizers") == .set)
        #expect(Self.strategy(Schemas.objectMeta, "ownerReferences") == .merge(key: "uid"))
        #expect(Self.strategy(Schemas.podStatus, "conditions") == .merge(key: "type"))
        #expect(Self.strategy(Schemas.deploymentStatus, "conditions") == .merge(key: "type"))
        #expect(Self.strategy(Schemas.serviceSpec, "ports") == .merge(key: "port"))
        #expect(Self.strategy(Schemas.role, "rules") == .atomic)
    }
}
