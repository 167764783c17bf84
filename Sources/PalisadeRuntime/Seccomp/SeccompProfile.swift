import PalisadeAPI

/// A seccomp profile in the OCI runtime-spec (and Docker) JSON form: a default action,
/// the architectures it covers, and rules naming system calls with an action and optional
/// argument conditions. Parsed strictly: an unknown action, operator or architecture, or a
/// misplaced field, is an error naming the field (`syscalls[3].args[0].op`), so a typo in a
/// profile cannot quietly weaken it.
public struct SeccompProfile: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case allow, log, trap
        case errno(Int)
        case killThread, killProcess
    }

    public struct Condition: Sendable, Equatable {
        public enum Operator: String, Sendable, CaseIterable {
            case notEqual = "SCMP_CMP_NE", lessThan = "SCMP_CMP_LT", lessOrEqual = "SCMP_CMP_LE", equal = "SCMP_CMP_EQ"
            case greaterOrEqual = "SCMP_CMP_GE", greaterThan = "SCMP_CMP_GT", maskedEqual = "SCMP_CMP_MASKED_EQ"
        }

        public let index: Int
        public let value: UInt64
        public let valueTwo: UInt64
        public let op: Operator
    }

    public struct Rule: Sendable, Equatable {
        public let names: [String]
        public let action: Action
        public let conditions: [Condition]
    }

    public static let architectures = [
        "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_RISCV64",
        "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390X",
    ]

    public let defaultAction: Action
    public let architectures: [String]
    public let rules: [Rule]

    public init(defaultAction: Action, architectures: [String], rules: [Rule]) {
        self.defaultAction = defaultAction
        self.architectures = architectures
        self.rules = rules
    }

    /// Parses a profile; errors name the field at fault.
    public init(json text: String) throws(SeccompProfileError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw SeccompProfileError(field: "", message: "not JSON: \(error)")
        }
        try Self.onlyKnownFields(document, ["defaultAction", "defaultErrnoRet", "architectures", "syscalls", "flags", "listenerPath", "listenerMetadata"], at: "")
        defaultAction = try Self.action(document["defaultAction"], errno: document["defaultErrnoRet"], at: "defaultAction")
        architectures = try (document["architectures"]?.arrayValue ?? []).enumerated().map { index, value throws(SeccompProfileError) in
            guard let name = value.stringValue, Self.architectures.contains(name) else {
                throw SeccompProfileError(field: "architectures[\(index)]", message: "unknown architecture \(value)")
            }
            return name
        }
        rules = try (document["syscalls"]?.arrayValue ?? []).enumerated().map { index, rule throws(SeccompProfileError) in
            try Self.rule(rule, at: "syscalls[\(index)]")
        }
    }

    private static func rule(_ rule: JSONValue, at path: String) throws(SeccompProfileError) -> Rule {
        try onlyKnownFields(rule, ["names", "action", "errnoRet", "args", "comment"], at: path)
        guard let names = rule["names"]?.arrayValue?.compactMap(\.stringValue), !names.isEmpty else {
            throw SeccompProfileError(field: "\(path).names", message: "at least one system call name is required")
        }
        let conditions = try (rule["args"]?.arrayValue ?? []).enumerated().map { index, condition throws(SeccompProfileError) in
            try Self.condition(condition, at: "\(path).args[\(index)]")
        }
        return Rule(names: names, action: try action(rule["action"], errno: rule["errnoRet"], at: "\(path).action"), conditions: conditions)
    }

    private static func condition(_ json: JSONValue, at path: String) throws(SeccompProfileError) -> Condition {
        try onlyKnownFields(json, ["index", "value", "valueTwo", "op"], at: path)
        guard let index = json["index"]?.intValue, (0...5).contains(index) else {
            throw SeccompProfileError(field: "\(path).index", message: "must be an argument index from 0 to 5")
        }
        guard let opName = json["op"]?.stringValue, let op = Condition.Operator(rawValue: opName) else {
            throw SeccompProfileError(field: "\(path).op", message: "must be one of \(Condition.Operator.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return Condition(index: Int(index), value: try unsigned(json["value"], at: "\(path).value"), valueTwo: try unsigned(json["valueTwo"], at: "\(path).valueTwo"), op: op)
    }

    private static func unsigned(_ json: JSONValue?, at path: String) throws(SeccompProfileError) -> UInt64 {
        guard let json else { return 0 }
        guard let value = json.intValue, value >= 0 else { throw SeccompProfileError(field: path, message: "must be a non-negative integer") }
        return UInt64(value)
    }

    private static func action(_ json: JSONValue?, errno: JSONValue?, at path: String) throws(SeccompProfileError) -> Action {
        switch json?.stringValue {
        case "SCMP_ACT_ALLOW": return .allow
        case "SCMP_ACT_LOG": return .log
        case "SCMP_ACT_TRAP": return .trap
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": return .killThread
        case "SCMP_ACT_KILL_PROCESS": return .killProcess
        case "SCMP_ACT_ERRNO":
            // EPERM unless the profile names another errno, as runc does.
            guard let code = errno?.intValue ?? 1 as Int64?, (1...4095).contains(code) else {
                throw SeccompProfileError(field: path, message: "errnoRet must be an errno from 1 to 4095")
            }
            return .errno(Int(code))
        default:
            throw SeccompProfileError(field: path, message: "unknown action \(json.map { "\($0)" } ?? "(missing)")")
        }
    }

    private static func onlyKnownFields(_ json: JSONValue, _ known: Set<String>, at path: String) throws(SeccompProfileError) {
        guard let object = json.objectValue else { throw SeccompProfileError(field: path, message: "must be an object") }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw SeccompProfileError(field: path.isEmpty ? unknown : "\(path).\(unknown)", message: "unknown field")
        }
    }
}

/// A profile that cannot be used, and where.
public struct SeccompProfileError: Error, CustomStringConvertible, Equatable {
    public let field: String
    public let message: String

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
