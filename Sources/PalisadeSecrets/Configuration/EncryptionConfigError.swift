/// A configuration that cannot be used. The message names the file, the line and the field
/// when they are known, and never shows key material.
public struct EncryptionConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String?
    public let line: Int?
    public let field: String?
    public let problem: String

    public init(file: String? = nil, line: Int? = nil, field: String? = nil, _ problem: String) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
    }

    /// The same error, located in `file`.
    func located(in file: String) -> EncryptionConfigError {
        EncryptionConfigError(file: file, line: line, field: field, problem)
    }

    public var description: String {
        var location = file ?? "encryption configuration"
        if let line { location += ":\(line)" }
        return field.map { "\(location): \($0): \(problem)" } ?? "\(location): \(problem)"
    }
}
