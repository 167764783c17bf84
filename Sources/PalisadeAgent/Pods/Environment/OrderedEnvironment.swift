/// Environment entries in the order first defined, where a later definition of a name
/// replaces the value in place (as containerd merges a container's env into the image's),
/// so a name never appears twice.
struct OrderedEnvironment {
    private var names: [String] = []
    private var values: [String: String] = [:]

    init(entries: [String]) {
        for entry in entries {
            let (name, value) = EnvironmentExpansion.split(entry)
            set(name, value)
        }
    }

    mutating func set(_ name: String, _ value: String) {
        if values.updateValue(value, forKey: name) == nil { names.append(name) }
    }

    var entries: [String] { names.map { "\($0)=\(values[$0]!)" } }
}
