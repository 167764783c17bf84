/// A configuration file that cannot be used: `file:line: field: problem`, as far as known.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let location: YAMLFieldError

    public init(file: String, _ location: YAMLFieldError) {
        self.file = file
        self.location = location
    }

    public var description: String {
        var place = file
        if let line = location.line { place += ":\(line)" }
        return location.field.map { "\(place): \($0): \(location.problem)" } ?? "\(place): \(location.problem)"
    }
}
