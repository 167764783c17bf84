extension StrategicMergePatch {
    /// Merges a patch list into an original list according to the list's strategy.
    static func mergeList(
        _ original: [JSONValue], _ elements: [JSONValue], element: FieldType?, strategy: ListStrategy, path: FieldPath
    ) throws(APIError) -> [JSONValue] {
        let patch = try ListPatch(parsing: elements, strategy: strategy, path: path)
        switch strategy {
        case .atomic:
            var result: [JSONValue] = []
            result.reserveCapacity(patch.items.count)
            for (index, item) in patch.items.enumerated() {
                result.append(try mergeValue(nil, item, type: element, path: path.index(index)) ?? .null)
            }
            return result
        case .set:
            return try union(patch.replacesAll ? [] : original, patch.items, path: path)
        case .merge(let key):
            var result = patch.replacesAll ? [] : original
            if !patch.deletedKeys.isEmpty {
                result.removeAll { existing in patch.deletedKeys.contains { matches(existing, key: key, value: $0) } }
            }
            for (index, item) in patch.items.enumerated() {
                try merge(item, into: &result, key: key, element: element, path: path.index(index))
            }
            return result
        }
    }

    /// Merges one element into a list merged by `key`: into the element with the same key value
    /// if there is one, else appended.
    private static func merge(
        _ item: JSONValue, into list: inout [JSONValue], key: String, element: FieldType?, path: FieldPath
    ) throws(APIError) {
        guard case .object(let members) = item else {
            throw malformed("elements of a list merged by \"\(key)\" must be objects, got \(item.typeName)", at: path)
        }
        guard let keyValue = members[key], !keyValue.isNull else {
            throw malformed("element has no merge key \"\(key)\"", at: path)
        }
        guard let position = list.firstIndex(where: { matches($0, key: key, value: keyValue) }) else {
            if let added = try mergeValue(nil, item, type: element, path: path) { list.append(added) }
            return
        }
        let existing = list[position]
        list[position] = .null
        if let merged = try mergeValue(existing, item, type: element, path: path) {
            list[position] = merged
        } else {
            list.remove(at: position)
        }
    }

    /// Set union of scalars: the original's distinct values in order, then the new ones.
    private static func union(_ original: [JSONValue], _ additions: [JSONValue], path: FieldPath) throws(APIError) -> [JSONValue] {
        var result: [JSONValue] = []
        for (index, value) in additions.enumerated() {
            switch value {
            case .object, .array:
                throw malformed("a list merged as a set takes scalar values, got \(value.typeName)", at: path.index(index))
            default:
                break
            }
        }
        for value in original + additions where !result.contains(where: { $0.semanticallyEquals(value) }) {
            result.append(value)
        }
        return result
    }

    /// Whether `element` is an object whose `key` member equals `value`.
    private static func matches(_ element: JSONValue, key: String, value: JSONValue) -> Bool {
        element[key]?.semanticallyEquals(value) ?? false
    }

    /// Reorders `items` after a `$setElementOrder` list: the items it names come first, in its
    /// order; the others follow in their current order.
    ///
    /// An order entry names an item when it is an object whose members all equal the item's
    /// (`{"name": "web"}`), or a scalar equal to the item or to its merge-key value.
    static func ordered(_ items: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        func rank(_ item: JSONValue) -> Int? {
            order.firstIndex { entry in
                switch entry {
                case .object(let members):
                    return members.allSatisfy { name, value in item[name]?.semanticallyEquals(value) ?? false }
                default:
                    if let mergeKey, let keyValue = item[mergeKey] { return keyValue.semanticallyEquals(entry) }
                    return item.semanticallyEquals(entry)
                }
            }
        }
        var named: [(rank: Int, offset: Int, item: JSONValue)] = []
        var unnamed: [JSONValue] = []
        for (offset, item) in items.enumerated() {
            if let rank = rank(item) {
                named.append((rank, offset, item))
            } else {
                unnamed.append(item)
            }
        }
        named.sort { ($0.rank, $0.offset) < ($1.rank, $1.offset) }
        return named.map(\.item) + unnamed
    }
}
