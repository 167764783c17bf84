import PalisadeAPI
import Testing

/// A cut-down Deployment schema with the patch strategies of the real one.
enum MiniDeploymentSchema {
    static let port = ObjectSchema("ContainerPort", [
        FieldSchema("name", 1, .string),
        FieldSchema("containerPort", 3, .integer),
        FieldSchema("protocol", 4, .string),
    ])
    static let envVar = ObjectSchema("EnvVar", [FieldSchema("name", 1, .string), FieldSchema("value", 2, .string)])
    static let container = ObjectSchema("Container", [
        FieldSchema("name", 1, .string),
        FieldSchema("image", 2, .string),
        FieldSchema("args", 4, .list(.string, .atomic)),
        FieldSchema("ports", 6, .list(.object(port), .merge(key: "containerPort"))),
        FieldSchema("env", 7, .list(.object(envVar), .merge(key: "name"))),
    ])
    static let toleration = ObjectSchema("Toleration", [FieldSchema("key", 1, .string), FieldSchema("effect", 3, .string)])
    static let podSpec = ObjectSchema("PodSpec", [
        FieldSchema("containers", 2, .list(.object(container), .merge(key: "name"))),
        FieldSchema("nodeSelector", 7, .map(.string)),
        FieldSchema("tolerations", 22, .list(.object(toleration), .atomic)),
    ])
    static let metadata = ObjectSchema("ObjectMeta", [
        FieldSchema("name", 1, .string),
        FieldSchema("labels", 11, .map(.string)),
        FieldSchema("annotations", 12, .map(.string)),
        FieldSchema("finalizers", 14, .list(.string, .set)),
    ])
    static let template = ObjectSchema("PodTemplateSpec", [
        FieldSchema("metadata", 1, .object(metadata)),
        FieldSchema("spec", 2, .object(podSpec)),
    ])
    static let rollingUpdate = ObjectSchema("RollingUpdateDeployment", [
        FieldSchema("maxUnavailable", 1, .intOrString),
        FieldSchema("maxSurge", 2, .intOrString),
    ])
    static let strategy = ObjectSchema("DeploymentStrategy", [
        FieldSchema("type", 1, .string),
        FieldSchema("rollingUpdate", 2, .object(rollingUpdate)),
    ])
    static let extras = ObjectSchema("Extras", preservesUnknownFields: true, [FieldSchema("declared", 1, .string)])
    static let spec = ObjectSchema("DeploymentSpec", [
        FieldSchema("replicas", 1, .integer),
        FieldSchema("template", 3, .object(template)),
        FieldSchema("strategy", 4, .object(strategy)),
        FieldSchema("config", 90, .any),
        FieldSchema("extras", 91, .object(extras)),
    ])
    static let deployment = ObjectSchema("Deployment", [
        FieldSchema("apiVersion", 0, .string),
        FieldSchema("kind", 0, .string),
        FieldSchema("metadata", 1, .object(metadata)),
        FieldSchema("spec", 2, .object(spec)),
    ])
}

@Suite("Strategic merge patch")
struct StrategicMergePatchTests {
    /// A Deployment with the given containers (JSON text of the list).
    static func deployment(containers: String) -> String {
        #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","env":"prod"},"# +
            #""finalizers":["a.io/one","b.io/two"]},"spec":{"replicas":1,"template":{"spec":{"containers":"# + containers + "}}}}"
    }

    static let oneContainer = #"[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}]}]"#
    static let threeContainers =
        #"[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"},{"name":"c","image":"c:1"}]"#

    /// Applies `patch` to `original` with the mini schema and compares with `expected`.
    func expectPatch(_ patch: String, on original: String, gives expected: String) throws {
        let result = try StrategicMergePatch.apply(
            try PatchFixture.parse(patch), to: try PatchFixture.parse(original), schema: MiniDeploymentSchema.deployment)
        #expect(result == (try PatchFixture.parse(expected)), "got \(result)")
    }

    /// Applies `patch` and returns the 400 it must fail with.
    func rejection(_ patch: String, on original: String) throws -> APIError? {
        let patch = try PatchFixture.parse(patch)
        let document = try PatchFixture.parse(original)
        let error = #expect(throws: APIError.self) {
            try StrategicMergePatch.apply(patch, to: document, schema: MiniDeploymentSchema.deployment)
        }
        #expect(error?.code == 400)
        return error
    }

    /// The `containers` list after a patch on `deployment(containers:)`.
    func containers(after patch: String, on list: String) throws -> JSONValue? {
        let result = try StrategicMergePatch.apply(
            try PatchFixture.parse(patch), to: try PatchFixture.parse(Self.deployment(containers: list)),
            schema: MiniDeploymentSchema.deployment)
        return result[path: ["spec", "template", "spec", "containers"]]
    }

    // MARK: kubectl set image, apply, rollout restart

    static let imageUpdates = [
        #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:1.28","name":"web"}]}}}}"#,
        #"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}"#,
    ]

    @Test("kubectl set image merges the container by name", arguments: imageUpdates)
    func setImage(patch: String) throws {
        try expectPatch(
            patch, on: Self.deployment(containers: Self.oneContainer),
            gives: Self.deployment(containers: #"[{"name":"web","image":"nginx:1.28","ports":[{"containerPort":80}]}]"#))
    }

    @Test func addsASecondContainerAfterTheFirst() throws {
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}"#
        #expect(try containers(after: patch, on: Self.oneContainer) == (try PatchFixture.parse(
            #"[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox:1.37"}]"#)))
    }

    @Test func deletesAContainerWithThePatchDirective() throws {
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"b","$patch":"delete"}]}}}}"#
        #expect(try containers(after: patch, on: Self.threeContainers) == (try PatchFixture.parse(
            #"[{"name":"a","image":"a:1"},{"name":"c","image":"c:1"}]"#)))
    }

    static let orderDirectives = [
        #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"}]}}}}"#,
        #"{"spec":{"template":{"spec":{"$setElementOrder/containers":["c","a"]}}}}"#,
    ]

    @Test("$setElementOrder reorders, unnamed elements follow", arguments: orderDirectives)
    func reordersContainersWithSetElementOrder(patch: String) throws {
        #expect(try containers(after: patch, on: Self.threeContainers) == (try PatchFixture.parse(
            #"[{"name":"c","image":"c:1"},{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]"#)))
    }

    @Test func kubectlApplyAddsUpdatesAndOrders() throws {
        let patch = #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"d"},{"name":"b"},{"name":"a"}],"# +
            #""containers":[{"name":"d","image":"d:1"},{"name":"b","image":"b:2"},{"name":"c","$patch":"delete"}]}}}}"#
        #expect(try containers(after: patch, on: Self.threeContainers) == (try PatchFixture.parse(
            #"[{"name":"d","image":"d:1"},{"name":"b","image":"b:2"},{"name":"a","image":"a:1"}]"#)))
    }

    @Test func rolloutRestartAddsATemplateAnnotation() throws {
        let patch = #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-28T00:42:43Z"}}}}}"#
        let result = try StrategicMergePatch.apply(
            try PatchFixture.parse(patch), to: try PatchFixture.parse(Self.deployment(containers: Self.oneContainer)),
            schema: MiniDeploymentSchema.deployment)
        #expect(result[path: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]] == "2026-11-28T00:42:43Z")
        #expect(result[path: ["spec", "template", "spec", "containers"]] == (try PatchFixture.parse(Self.oneContainer)))
        #expect(result[path: ["spec", "replicas"]] == 1)
    }

    // MARK: maps and nested lists

    @Test func nullRemovesALabelAndIgnoresMissingOnes() throws {
        try expectPatch(
            #"{"metadata":{"labels":{"env":null,"absent":null,"tier":"web"}}}"#,
            on: #"{"metadata":{"labels":{"app":"web","env":"prod"}}}"#,
            gives: #"{"metadata":{"labels":{"app":"web","tier":"web"}}}"#)
    }

    @Test func mergesNestedKeyedListsInsideAContainer() throws {
        let original = #"[{"name":"web","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}],"# +
            #""env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]"#
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":80.0,"protocol":"TCP"}],"# +
            #""env":[{"name":"B","$patch":"delete"},{"name":"A","value":"3"},{"name":"C","value":"4"}]}]}}}}"#
        let expected = try PatchFixture.parse(
            #"[{"name":"web","ports":[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":443}],"# +
                #""env":[{"name":"A","value":"3"},{"name":"C","value":"4"}]}]"#)
        // The patch's 80.0 matches the original 80 and, like any patched member, replaces it.
        #expect(try containers(after: patch, on: original)?.semanticallyEquals(expected) == true)
    }

    @Test func newElementsLoseTheirNullsAndDirectives() throws {
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"new","image":null,"#
            + #""env":[{"name":"X","$patch":"delete"},{"name":"Y","value":"1"}],"$setElementOrder/env":[{"name":"Y"}]}]}}}}"#
        #expect(try containers(after: patch, on: "[]") == (try PatchFixture.parse(#"[{"name":"new","env":[{"name":"Y","value":"1"}]}]"#)))
    }

    @Test func atomicListsAreReplaced() throws {
        try expectPatch(
            #"{"spec":{"template":{"spec":{"tolerations":[{"key":"b"}],"containers":[{"name":"web","args":["--v=2"]}]}}}}"#,
            on: #"{"spec":{"template":{"spec":{"tolerations":[{"key":"a","effect":"NoSchedule"}],"#
                + #""containers":[{"name":"web","args":["--v=1","--x"]}]}}}}"#,
            gives: #"{"spec":{"template":{"spec":{"tolerations":[{"key":"b"}],"containers":[{"name":"web","args":["--v=2"]}]}}}}"#)
    }

    // MARK: primitive sets

    static let finalizerCases: [PatchExample] = [
        PatchExample(
            "set union keeps the original order", original: #"{"metadata":{"finalizers":["a","b"]}}"#,
            patch: #"{"metadata":{"finalizers":["c","b"]}}"#, expected: #"{"metadata":{"finalizers":["a","b","c"]}}"#),
        PatchExample(
            "deleteFromPrimitiveList", original: #"{"metadata":{"finalizers":["a","b","c"]}}"#,
            patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b","c"]}}"#, expected: #"{"metadata":{"finalizers":["a"]}}"#),
        PatchExample(
            "deleting the last value drops the list", original: #"{"metadata":{"name":"x","finalizers":["a"]}}"#,
            patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#, expected: #"{"metadata":{"name":"x"}}"#),
        PatchExample(
            "delete and add together", original: #"{"metadata":{"finalizers":["a","b"]}}"#,
            patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["z"]}}"#,
            expected: #"{"metadata":{"finalizers":["b","z"]}}"#),
        PatchExample(
            "setElementOrder on a set", original: #"{"metadata":{"finalizers":["a","b","c"]}}"#,
            patch: #"{"metadata":{"$setElementOrder/finalizers":["b","c","a"]}}"#,
            expected: #"{"metadata":{"finalizers":["b","c","a"]}}"#),
        PatchExample(
            "set into a missing list", original: #"{"metadata":{}}"#,
            patch: #"{"metadata":{"finalizers":["a","a"]}}"#, expected: #"{"metadata":{"finalizers":["a"]}}"#),
        PatchExample(
            "replace directive on a set", original: #"{"metadata":{"finalizers":["a","b"]}}"#,
            patch: #"{"metadata":{"finalizers":[{"$patch":"replace"},"c"]}}"#, expected: #"{"metadata":{"finalizers":["c"]}}"#),
    ]

    @Test("finalizers merge as a set", arguments: finalizerCases)
    func finalizers(example: PatchExample) throws {
        try expectPatch(example.patch, on: example.original, gives: try #require(example.expected))
    }

    // MARK: directives

    @Test func retainKeysClearsUnlistedFields() throws {
        try expectPatch(
            #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
            on: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
            gives: #"{"spec":{"strategy":{"type":"Recreate"}}}"#)
    }

    @Test func retainKeysMustCoverThePatchedFields() throws {
        _ = try rejection(
            #"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}"#,
            on: #"{"spec":{"strategy":{"type":"RollingUpdate"}}}"#)
    }

    @Test func replaceDirectiveReplacesAMap() throws {
        try expectPatch(
            #"{"spec":{"strategy":{"$patch":"replace","type":"Recreate"}}}"#,
            on: #"{"spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
            gives: #"{"spec":{"replicas":2,"strategy":{"type":"Recreate"}}}"#)
    }

    @Test func deleteDirectiveRemovesAMap() throws {
        try expectPatch(
            #"{"spec":{"strategy":{"rollingUpdate":{"$patch":"delete"}}}}"#,
            on: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
            gives: #"{"spec":{"strategy":{"type":"RollingUpdate"}}}"#)
    }

    @Test func topLevelDirectives() throws {
        try expectPatch(#"{"$patch":"delete"}"#, on: #"{"a":1}"#, gives: "{}")
        try expectPatch(#"{"$patch":"replace","kind":"Deployment"}"#, on: #"{"kind":"X","spec":{}}"#, gives: #"{"kind":"Deployment"}"#)
    }

    @Test func replaceDirectiveInAListReplacesTheList() throws {
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"z","image":"z:1"},{"$patch":"replace"}]}}}}"#
        #expect(try containers(after: patch, on: Self.threeContainers) == (try PatchFixture.parse(#"[{"name":"z","image":"z:1"}]"#)))
    }

    @Test func replaceDirectiveOnAnElementReplacesThatElement() throws {
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"web","$patch":"replace","image":"nginx:2"}]}}}}"#
        #expect(try containers(after: patch, on: Self.oneContainer) == (try PatchFixture.parse(#"[{"name":"web","image":"nginx:2"}]"#)))
    }

    @Test func replaceDirectiveOnAMapTypedField() throws {
        try expectPatch(
            #"{"spec":{"template":{"spec":{"nodeSelector":{"$patch":"replace","zone":"b"}}}}}"#,
            on: #"{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd","zone":"a"}}}}}"#,
            gives: #"{"spec":{"template":{"spec":{"nodeSelector":{"zone":"b"}}}}}"#)
    }

    // MARK: schema-less parts

    @Test func withoutASchemaMapsMergeAndListsAreReplaced() throws {
        let result = try StrategicMergePatch.apply(
            try PatchFixture.parse(#"{"spec":{"items":[{"name":"b"}],"extra":{"x":1,"gone":null}},"$setElementOrder/order":[3,1]}"#),
            to: try PatchFixture.parse(#"{"spec":{"items":[{"name":"a"}],"extra":{"gone":1,"kept":2}},"order":[1,2,3]}"#),
            schema: nil)
        #expect(result == (try PatchFixture.parse(#"{"spec":{"items":[{"name":"b"}],"extra":{"x":1,"kept":2}},"order":[3,1,2]}"#)))
    }

    @Test func anyFieldsTakeAPlainMergePatch() throws {
        try expectPatch(
            ##"{"spec":{"config":{"$ref":"#/x","list":[2],"drop":null}}}"##,
            on: #"{"spec":{"config":{"list":[1],"drop":1,"keep":true}}}"#,
            gives: ##"{"spec":{"config":{"$ref":"#/x","list":[2],"keep":true}}}"##)
    }

    @Test func preservedUnknownFieldsMergeLikeAMergePatch() throws {
        try expectPatch(
            #"{"spec":{"extras":{"declared":"y","$data":1,"free":{"b":2,"a":null,"$x":{"$patch":"delete"}},"list":[3]}}}"#,
            on: #"{"spec":{"extras":{"declared":"x","free":{"a":1},"list":[1,2]}}}"#,
            gives: #"{"spec":{"extras":{"declared":"y","$data":1,"free":{"b":2,"$x":{"$patch":"delete"}},"list":[3]}}}"#)
    }

    @Test func directivesStillWorkInObjectsThatPreserveUnknownFields() throws {
        try expectPatch(
            #"{"spec":{"extras":{"$patch":"replace","declared":"y"}}}"#,
            on: #"{"spec":{"extras":{"declared":"x","free":1}}}"#,
            gives: #"{"spec":{"extras":{"declared":"y"}}}"#)
    }

    // MARK: errors

    static let malformedPatches: [PatchExample] = [
        PatchExample("unknown directive", original: "{}", patch: #"{"metadata":{"$frobnicate":1}}"#, expected: nil),
        PatchExample("unknown $patch value", original: "{}", patch: #"{"spec":{"$patch":"merge"}}"#, expected: nil),
        PatchExample("$patch not a string", original: "{}", patch: #"{"spec":{"$patch":true}}"#, expected: nil),
        PatchExample("$retainKeys not a list", original: "{}", patch: #"{"spec":{"$retainKeys":"type"}}"#, expected: nil),
        PatchExample(
            "$setElementOrder not a list", original: "{}",
            patch: #"{"metadata":{"$setElementOrder/finalizers":"a"}}"#, expected: nil),
        PatchExample(
            "$deleteFromPrimitiveList not a list", original: "{}",
            patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":{}}}"#, expected: nil),
        PatchExample(
            "map where the schema has a list", original: Self.deployment(containers: Self.oneContainer),
            patch: #"{"spec":{"template":{"spec":{"containers":{"name":"web"}}}}}"#, expected: nil),
        PatchExample(
            "list where the schema has a map", original: "{}", patch: #"{"metadata":{"labels":["a"]}}"#, expected: nil),
        PatchExample("list where the schema has an object", original: "{}", patch: #"{"spec":[1]}"#, expected: nil),
        PatchExample(
            "keyed element without its key", original: Self.deployment(containers: Self.oneContainer),
            patch: #"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#, expected: nil),
        PatchExample(
            "scalar in a keyed list", original: "{}",
            patch: #"{"spec":{"template":{"spec":{"containers":["web"]}}}}"#, expected: nil),
        PatchExample(
            "delete element without its key", original: Self.deployment(containers: Self.oneContainer),
            patch: #"{"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}}"#, expected: nil),
        PatchExample(
            "delete element in an atomic list", original: "{}",
            patch: #"{"spec":{"template":{"spec":{"tolerations":[{"key":"a","$patch":"delete"}]}}}}"#, expected: nil),
        PatchExample(
            "unknown list directive", original: "{}",
            patch: #"{"metadata":{"finalizers":[{"$patch":"merge"}]}}"#, expected: nil),
        PatchExample("object in a set", original: "{}", patch: #"{"metadata":{"finalizers":[{"a":1}]}}"#, expected: nil),
    ]

    @Test("malformed patches are bad requests", arguments: malformedPatches)
    func malformed(example: PatchExample) throws {
        _ = try rejection(example.patch, on: example.original)
    }

    @Test func aPatchMustBeAnObject() throws {
        let error = #expect(throws: APIError.self) {
            try StrategicMergePatch.apply(.array([]), to: .emptyObject, schema: MiniDeploymentSchema.deployment)
        }
        #expect(error?.code == 400)
    }

    @Test func errorsNamePathsNotValues() throws {
        let error = try rejection(#"{"metadata":{"labels":["s3cr3t"]}}"#, on: #"{"metadata":{"labels":{"k":"t0ps3cr3t"}}}"#)
        #expect(error?.message.contains("metadata.labels") == true)
        #expect(error?.message.contains("s3cr3t") == false)
    }
}
