/// A path to a field in an object, printed the way Kubernetes prints it:
/// `metadata.name`, `spec.containers[0].image`, `metadata.labels[app]`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public enum Element: Sendable, Hashable {
        case field(String)
        case index(Int)
        case key(String)
    }

    public private(set) var elements: [Element]

    public init(_ elements: [Element] = []) {
        self.elements = elements
    }

    /// A path of plain field names, `FieldPath("spec", "replicas")`.
    public init(_ fields: String...) {
        self.elements = fields.map(Element.field)
    }

    public func child(_ name: String) -> FieldPath { FieldPath(elements + [.field(name)]) }
    public func index(_ i: Int) -> FieldPath { FieldPath(elements + [.index(i)]) }
    public func key(_ k: String) -> FieldPath { FieldPath(elements + [.key(k)]) }

    public var description: String {
        var text = ""
        for element in elements {
            switch element {
            case .field(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let i): text += "[\(i)]"
            case .key(let k): text += "[\(k)]"
            }
        }
        return text
    }
}
