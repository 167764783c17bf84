extension APIError {
    /// A well-formed patch that cannot be applied to this document (422 Invalid).
    ///
    /// Callers build `detail` from operation names and paths only, never from document values.
    static func patchNotApplicable(_ detail: String) -> APIError {
        APIError(
            code: 422, reason: "Invalid",
            message: "the server rejected our request due to an error in our request: \(detail)"
        )
    }
}
