import Foundation

/// A subresource a resource serves besides the object itself.
public enum Subresource: String, Sendable, CaseIterable {
    case status
    case scale
    case binding
    case log
    /// A CertificateSigningRequest's Approved/Denied conditions.
    case approval
    /// A Namespace's `spec.finalizers`: the namespace controller empties it once the
    /// namespace's content is gone, which lets a terminating namespace go.
    case finalize
}

/// Which naming rule `metadata.name` must follow.
public enum NameRule: Sendable {
    /// RFC 1123 subdomain (most kinds).
    case subdomain
    /// RFC 1123 label (namespaces, services).
    case label
    /// RBAC objects accept any name that is a valid path segment.
    case pathSegment
}

/// A column of a `meta.k8s.io/v1` Table, with the function that fills its cell.
public struct TableColumn: Sendable {
    public let name: String
    public let type: String
    public let format: String
    public let description: String
    /// 0: always shown; 1: only with `-o wide`.
    public let priority: Int
    public let cell: @Sendable (JSONValue, Date) -> JSONValue

    public init(
        _ name: String, type: String = "string", format: String = "", description: String = "", priority: Int = 0,
        cell: @escaping @Sendable (JSONValue, Date) -> JSONValue
    ) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.cell = cell
    }
}

/// Everything the server knows about one served resource: its names for discovery, its
/// schema, and the behaviour that differs between kinds (defaults, validation, status
/// handling, table columns, selectable fields). Behaviour common to all lives in the registry.
public struct ResourceDefinition: Sendable {
    public let group: String
    public let version: String
    public let kind: String
    public let plural: String
    public let singular: String
    public let namespaced: Bool
    public let shortNames: [String]
    public let categories: [String]
    public let subresources: Set<Subresource>
    public let nameRule: NameRule
    /// Verbs served on the collection and objects; `deletecollection` only where it makes sense.
    public let verbs: [String]
    /// Extra columns of the Table form, after NAME (AGE is appended when absent).
    public let columns: [TableColumn]
    /// Fields a field selector may use beyond `metadata.name` and `metadata.namespace`.
    public let selectableFields: [String: @Sendable (JSONValue) -> String?]
    /// Fills defaults in a new or updated object.
    public let applyDefaults: @Sendable (inout JSONValue) -> Void
    /// Kind-specific validation, with field paths.
    public let validate: @Sendable (JSONValue) -> [APIError.Cause]
    /// Kind-specific checks of an update against the stored object (immutable fields).
    public let validateUpdate: @Sendable (_ new: JSONValue, _ old: JSONValue) -> [APIError.Cause]
    /// Sets what a new object starts with whatever its body says: its status (a Pod is
    /// Pending, a Namespace Active) and server-owned fields (a Namespace's finalizer).
    public let initialStatus: @Sendable (inout JSONValue) -> Void
    /// For the `scale` subresource: where the replica count and selector live.
    public let scale: ScaleMapping?
    /// A DELETE that removes the object answers with the object (as for pods) rather than a Status.
    public let returnsDeletedObject: Bool
    /// A create keeps the `status` it is given although the kind has a status subresource
    /// (a node registers itself with its capacity and conditions).
    public let keepsStatusOnCreate: Bool

    public init(
        group: String,
        version: String,
        kind: String,
        plural: String,
        singular: String? = nil,
        namespaced: Bool = true,
        shortNames: [String] = [],
        categories: [String] = [],
        subresources: Set<Subresource> = [],
        nameRule: NameRule = .subdomain,
        verbs: [String] = ResourceDefinition.standardVerbs,
        columns: [TableColumn] = [],
        selectableFields: [String: @Sendable (JSONValue) -> String?] = [:],
        applyDefaults: @escaping @Sendable (inout JSONValue) -> Void = { _ in },
        validate: @escaping @Sendable (JSONValue) -> [APIError.Cause] = { _ in [] },
        validateUpdate: @escaping @Sendable (JSONValue, JSONValue) -> [APIError.Cause] = { _, _ in [] },
        initialStatus: @escaping @Sendable (inout JSONValue) -> Void = { _ in },
        scale: ScaleMapping? = nil,
        returnsDeletedObject: Bool = false,
        keepsStatusOnCreate: Bool = false
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
        self.nameRule = nameRule
        self.verbs = verbs
        self.columns = columns
        self.selectableFields = selectableFields
        self.applyDefaults = applyDefaults
        self.validate = validate
        self.validateUpdate = validateUpdate
        self.initialStatus = initialStatus
        self.scale = scale
        self.returnsDeletedObject = returnsDeletedObject
        self.keepsStatusOnCreate = keepsStatusOnCreate
    }

    public static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// `v1` or `apps/v1`.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// True for the core-group resource `plural` (`pods`, `namespaces`, ...).
    public func isCore(_ plural: String) -> Bool { group.isEmpty && self.plural == plural }

    /// `pods` or `deployments.apps`, as messages name resources.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The schema declared for this kind, when there is one.
    public var schema: ObjectSchema? { KindSchemas.schema(group: group, version: version, kind: kind) }

    /// Whether field selectors may use `field` on this resource.
    public func isSelectable(_ field: String) -> Bool {
        field == "metadata.name" || (namespaced && field == "metadata.namespace") || selectableFields[field] != nil
    }

    /// The value of a selectable field of `object`.
    public func fieldValue(_ object: JSONValue, _ field: String) -> String? {
        switch field {
        case "metadata.name": return object.name
        case "metadata.namespace": return namespaced ? object.namespace : nil
        default: return selectableFields[field]?(object)
        }
    }
}

/// Where a scalable kind keeps its replica counts and selector (`autoscaling/v1` Scale).
public struct ScaleMapping: Sendable {
    public let specReplicas: [String]
    public let statusReplicas: [String]
    public let selector: @Sendable (JSONValue) -> String

    public init(specReplicas: [String], statusReplicas: [String], selector: @escaping @Sendable (JSONValue) -> String) {
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas
        self.selector = selector
    }

    /// `spec.replicas`/`status.replicas` with `spec.selector` as a LabelSelector object.
    public static let standard = ScaleMapping(specReplicas: ["spec", "replicas"], statusReplicas: ["status", "replicas"]) { object in
        ((try? LabelSelector(object: object[path: ["spec", "selector"]])) ?? .everything).description
    }
}
