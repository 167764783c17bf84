import PalisadeAPI

/// The order in which controllers keep pods when they have more than they want of one kind
/// (two daemon pods on a node, two pods of one completion index): the oldest stays.
enum PodOrder {
    /// By creation time, then name (creation times have whole seconds).
    static func olderFirst(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let created = { (pod: JSONValue) in pod[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "" }
        return (created(a), a.name ?? "") < (created(b), b.name ?? "")
    }
}
