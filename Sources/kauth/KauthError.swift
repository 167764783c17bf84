/// A failure at run time (a file that is not there, a server that refuses): kauth prints
/// its one line and exits 1. Bad arguments are `ValidationError`s instead (usage, exit 64).
struct KauthError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
