extension StrategicMergePatch {
    /// The `$patch` directive of a map: replace it wholesale, or delete it.
    enum MapDirective: Sendable {
        case replace
        case delete
    }

    /// A strategic merge patch object split into its directives and its plain fields.
    struct ObjectPatch: Sendable {
        var directive: MapDirective?
        /// `$retainKeys`: the keys of the original to keep.
        var retainKeys: Set<String>?
        /// `$deleteFromPrimitiveList/<field>`: values to remove from the original list, by field.
        var deletions: [String: [JSONValue]] = [:]
        /// `$setElementOrder/<field>`: the order of the merged list, by field.
        var orders: [String: [JSONValue]] = [:]
        /// Everything that is not a directive.
        var fields: [String: JSONValue] = [:]

        static let directiveKey = "$patch"
        static let retainKeysKey = "$retainKeys"
        static let deletePrefix = "$deleteFromPrimitiveList/"
        static let orderPrefix = "$setElementOrder/"

        /// Splits `members`. A `$`-key is a directive unless `type` declares a field of that name;
        /// an unknown one is an error, or data in an object that preserves unknown fields.
        init(parsing members: [String: JSONValue], type: FieldType?, path: FieldPath) throws(APIError) {
            for (key, value) in members {
                let isDirective = key.hasPrefix("$")
                    && !StrategicMergePatch.isField(key, of: type, knownDirective: Self.isDirective(key))
                guard isDirective else {
                    fields[key] = value
                    continue
                }
                if key == Self.directiveKey {
                    directive = try Self.mapDirective(value, path: path)
                } else if key == Self.retainKeysKey {
                    retainKeys = try Self.retainedKeys(value, path: path)
                } else if let field = Self.field(of: key, prefix: Self.deletePrefix) {
                    deletions[field] = try Self.list(value, directive: key, path: path)
                } else if let field = Self.field(of: key, prefix: Self.orderPrefix) {
                    orders[field] = try Self.list(value, directive: key, path: path)
                } else {
                    throw malformed("unknown directive \"\(key)\"", at: path)
                }
            }
        }

        private static func isDirective(_ key: String) -> Bool {
            key == directiveKey || key == retainKeysKey || field(of: key, prefix: deletePrefix) != nil
                || field(of: key, prefix: orderPrefix) != nil
        }

        private static func mapDirective(_ value: JSONValue, path: FieldPath) throws(APIError) -> MapDirective {
            switch value.stringValue {
            case "replace": return .replace
            case "delete": return .delete
            default: throw malformed("unsupported \(directiveKey) value, expected \"replace\" or \"delete\"", at: path)
            }
        }

        private static func retainedKeys(_ value: JSONValue, path: FieldPath) throws(APIError) -> Set<String> {
            guard case .array(let items) = value else {
                throw malformed("\(retainKeysKey) must be a list of field names", at: path)
            }
            var keys = Set<String>()
            for item in items {
                guard let key = item.stringValue else {
                    throw malformed("\(retainKeysKey) must be a list of field names", at: path)
                }
                keys.insert(key)
            }
            return keys
        }

        private static func list(_ value: JSONValue, directive: String, path: FieldPath) throws(APIError) -> [JSONValue] {
            guard case .array(let items) = value else {
                throw malformed("\"\(directive)\" must be a list, got \(value.typeName)", at: path)
            }
            return items
        }

        private static func field(of key: String, prefix: String) -> String? {
            guard key.hasPrefix(prefix), key.count > prefix.count else { return nil }
            return String(key.dropFirst(prefix.count))
        }
    }

    /// A strategic merge patch list split into its directive elements and its plain items.
    struct ListPatch: Sendable {
        /// An element `{"$patch": "replace"}` was present: the items replace the original list.
        var replacesAll = false
        /// Merge-key values of `{"<key>": value, "$patch": "delete"}` elements.
        var deletedKeys: [JSONValue] = []
        /// Everything that is not a directive element, in patch order.
        var items: [JSONValue] = []

        init(parsing elements: [JSONValue], strategy: ListStrategy, path: FieldPath) throws(APIError) {
            for (index, element) in elements.enumerated() {
                guard case .object(let members) = element, let directive = members[ObjectPatch.directiveKey] else {
                    items.append(element)
                    continue
                }
                switch directive.stringValue {
                case "replace" where members.count == 1:
                    replacesAll = true
                case "delete":
                    guard case .merge(let key) = strategy else {
                        throw malformed("\(ObjectPatch.directiveKey): delete needs a list merged by key", at: path.index(index))
                    }
                    guard let keyValue = members[key], !keyValue.isNull else {
                        throw malformed("element to delete has no merge key \"\(key)\"", at: path.index(index))
                    }
                    deletedKeys.append(keyValue)
                case "replace":
                    items.append(element)
                default:
                    throw malformed("unsupported \(ObjectPatch.directiveKey) value in a list element", at: path.index(index))
                }
            }
        }
    }

    /// A malformed strategic merge patch (400), located by path; never quotes document values.
    static func malformed(_ detail: String, at path: FieldPath) -> APIError {
        let location = path.elements.isEmpty ? "the top level" : path.description
        return .badRequest("invalid strategic merge patch at \(location): \(detail)")
    }
}
