/// A seccomp filter ready for a container: the kernel program, and what to answer the calls
/// it reports (when compiled to report denials).
public struct SeccompProgram: Sendable {
    public let bytes: [UInt8]
    /// System call number → the error it fails with; empty when denials are not reported.
    public let denialErrors: [Int32: Int32]

    public init(_ profile: SeccompProfile, reportDenials: Bool) throws(SeccompFilterError) {
        let filter = try SeccompFilter(profile, reportDenials: reportDenials)
        bytes = try filter.program()
        denialErrors = filter.denialErrors
    }

    var reportsDenials: Bool { !denialErrors.isEmpty }
}
